package dev.filesink.partitioncommit;

import org.apache.flink.core.fs.Path;

import javax.annotation.Nullable;

import java.time.Instant;

/**
 * A committed part file as the partition committer keeps it.
 *
 * @param records -1 when unknown
 * @param minEventTimeMillis {@code Long.MIN_VALUE} when unknown (as {@code maxEventTimeMillis})
 */
public record CommittedFileInfo(
        String bucketId,
        Path path,
        long bytes,
        long records,
        long checkpointId,
        long minEventTimeMillis,
        long maxEventTimeMillis)
        implements CommittedPartition.CommittedFile {

    static final long UNKNOWN_TIME = Long.MIN_VALUE;

    @Nullable
    @Override
    public Instant minEventTime() {
        return minEventTimeMillis == UNKNOWN_TIME ? null : Instant.ofEpochMilli(minEventTimeMillis);
    }

    @Nullable
    @Override
    public Instant maxEventTime() {
        return maxEventTimeMillis == UNKNOWN_TIME ? null : Instant.ofEpochMilli(maxEventTimeMillis);
    }
}
