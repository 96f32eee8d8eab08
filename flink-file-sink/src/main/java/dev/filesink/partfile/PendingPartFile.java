package dev.filesink.partfile;

import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.RecoverableWriter;

/**
 * A part file closed for commit: complete, durable, not yet visible at its target.
 *
 * @param minEventTime the earliest record timestamp in it, {@code Long.MIN_VALUE} when unknown
 * @param maxEventTime the latest record timestamp in it, {@code Long.MIN_VALUE} when unknown
 */
public record PendingPartFile(
        String bucketId,
        Path target,
        RecoverableWriter.CommitRecoverable recoverable,
        long size,
        long recordCount,
        long minEventTime,
        long maxEventTime) {

    /** A pending file whose records' time range is unknown. */
    public PendingPartFile(
            String bucketId, Path target, RecoverableWriter.CommitRecoverable recoverable, long size, long recordCount) {
        this(bucketId, target, recoverable, size, recordCount, Long.MIN_VALUE, Long.MIN_VALUE);
    }

    /** This file with the time range of its records. */
    public PendingPartFile withEventTimes(long min, long max) {
        return new PendingPartFile(bucketId, target, recoverable, size, recordCount, min, max);
    }
}
