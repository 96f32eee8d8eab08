package dev.filesink.storage;

import org.apache.flink.core.fs.Path;

import java.io.IOException;
import java.io.Serializable;

/**
 * Where part files live: a serializable description of a storage back end that the sink carries to the task
 * managers, where {@link #open(Path)} binds it to the sink's base path.
 *
 * <p>The default is {@link FileSystemStorage}, which uses the {@code RecoverableWriter} of the base path's Flink
 * {@code FileSystem} (local disks, HDFS). The S3 and Azure modules hand in their own.
 */
public interface PartFileStorage extends Serializable {

    /** Opens a session for the given base path. Called once per writer, committer and serializer. */
    StorageSession open(Path basePath) throws IOException;

    /**
     * The storage to use when the sink compacts ({@code enableCompact}). A compaction must read or copy pending files
     * before they are committed; an object store that can do neither with an uncommitted file (an open multipart
     * upload, staged blocks) returns a variant that keeps in-progress files under hidden names
     * ({@link InProgressNames}), where they can be finished, read and copied without being visible. Whatever variant
     * wrote a pending file, every variant must commit it: switching compaction on or off through a savepoint keeps
     * the files in the state committable. File systems return themselves.
     */
    default PartFileStorage forCompaction() {
        return this;
    }
}
