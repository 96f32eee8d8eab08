package dev.filesink.partitioncommit;

import org.apache.flink.metrics.Counter;

import java.io.IOException;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A writer subtask's part of partition commit: decides which records are late, which buckets' in-progress files to
 * roll so that their partition can be announced, and builds the progress report sent with every checkpoint.
 */
public final class PartitionTracker {

    private static final int CACHED_CLOSING_TIMES = 4096;

    private final PartitionCommit settings;
    private final int subtask;
    private final int parallelism;
    private final Counter lateDropped;
    private final Counter lateWritten;
    private final Set<String> bucketsWithRecords = new HashSet<>();
    /** Closing times (end + delay) of recent bucket ids: extracting one parses the bucket id. */
    private final Map<String, Long> closingTimes = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > CACHED_CLOSING_TIMES;
        }
    };

    public PartitionTracker(
            PartitionCommit settings, int subtask, int parallelism, Counter lateDropped, Counter lateWritten) {
        this.settings = settings;
        this.subtask = subtask;
        this.parallelism = parallelism;
        this.lateDropped = lateDropped;
        this.lateWritten = lateWritten;
    }

    /**
     * Whether the record goes to its bucket. Late (event time only): its partition's end plus the delay is at or
     * before this subtask's watermark.
     *
     * @throws IOException for a late record with late-record handling FAIL
     */
    public boolean admit(String bucketId, Long timestamp, long watermark) throws IOException {
        if (settings.trigger() == CommitTrigger.PARTITION_TIME && isClosed(bucketId, watermark)) {
            switch (settings.lateRecords()) {
                case DROP:
                    lateDropped.inc();
                    return false;
                case FAIL:
                    throw new IOException("Late record for bucket '" + bucketId + "': record timestamp " + timestamp
                            + ", watermark " + watermark + ", partition closes at " + closingTime(bucketId)
                            + " (end + delay " + settings.delay() + "); late-record handling is FAIL");
                default:
                    lateWritten.inc();
            }
        }
        bucketsWithRecords.add(bucketId);
        return true;
    }

    /**
     * Whether the bucket's in-progress file should be rolled at this checkpoint: its partition is due by event time,
     * or (processing time) no record arrived for the delay. Without this, announcements would wait for size or time
     * rolling.
     */
    public boolean isDue(String bucketId, long watermark, long lastWriteTime, long now) {
        if (settings.trigger() == CommitTrigger.PARTITION_TIME) {
            return isClosed(bucketId, watermark);
        }
        return now - lastWriteTime >= settings.delay().toMillis();
    }

    /** The progress report of this checkpoint; forgets the buckets that received records. */
    public WriterProgress progress(long watermark, Collection<String> uncommittedBuckets, boolean endOfInput) {
        WriterProgress progress = new WriterProgress(
                subtask, parallelism, watermark, new HashSet<>(uncommittedBuckets), bucketsWithRecords, endOfInput);
        bucketsWithRecords.clear();
        return progress;
    }

    /**
     * Whether the watermark passed the partition's end plus the delay. The final watermark (end of input, the only
     * one in BATCH) closes every partition without reading its time, so bucket ids without one work there.
     */
    private boolean isClosed(String bucketId, long watermark) {
        return watermark == Long.MAX_VALUE
                || (watermark != Long.MIN_VALUE && closingTime(bucketId) <= watermark);
    }

    private long closingTime(String bucketId) {
        Long cached = closingTimes.get(bucketId);
        if (cached == null) {
            cached = settings.closingTime(bucketId);
            closingTimes.put(bucketId, cached);
        }
        return cached;
    }
}
