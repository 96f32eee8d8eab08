package dev.filesink.bucket;

import org.apache.flink.core.fs.Path;

import javax.annotation.Nullable;

/** The checkpointed state of one bucket: its id, its directory and its in-progress part file, if any. */
public record BucketState(String bucketId, Path bucketPath, @Nullable InProgressFileState inProgress) {}
