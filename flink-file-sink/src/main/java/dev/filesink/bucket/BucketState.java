package dev.filesink.bucket;

import dev.filesink.partfile.PendingPartFile;

import org.apache.flink.core.fs.Path;

import javax.annotation.Nullable;

import java.util.List;

/**
 * The checkpointed state of one bucket: its id, its directory and its in-progress part file, if any.
 *
 * @param pendingFiles files closed for commit but not yet handed to a committer: never in our own state (a writer
 *     hands every pending file over before it snapshots), only in state of the legacy {@code StreamingFileSink}
 *     that Flink's FileSink carried over; they are committed with the first checkpoint after the restore
 */
public record BucketState(
        String bucketId, Path bucketPath, @Nullable InProgressFileState inProgress, List<PendingPartFile> pendingFiles) {

    public BucketState(String bucketId, Path bucketPath, @Nullable InProgressFileState inProgress) {
        this(bucketId, bucketPath, inProgress, List.of());
    }
}
