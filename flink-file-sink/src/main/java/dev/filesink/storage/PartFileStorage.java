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
}
