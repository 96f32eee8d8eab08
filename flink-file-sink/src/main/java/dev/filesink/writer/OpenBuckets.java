package dev.filesink.writer;

import dev.filesink.bucket.Bucket;
import dev.filesink.partfile.InProgressPartFile;
import dev.filesink.partfile.RollReason;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The buckets a writer holds in memory, and the limits on them: at most so many open part files (rolling the least
 * recently written one to make room) and at most so many buffered bytes (rolling the largest).
 */
final class OpenBuckets<IN> {

    /** How many writes pass between checks of the memory budget; summing footprints is linear in open files. */
    private static final int MEMORY_CHECK_INTERVAL = 1024;

    private final Map<String, Bucket<IN>> buckets;
    private final int maxOpenFiles;
    private final long maxBufferedBytes;

    private int openFiles;
    private int writesSinceMemoryCheck;
    /** Records mostly go to the bucket of the record before: remembering it saves a hash lookup per record. */
    private String lastBucketId;
    private Bucket<IN> lastBucket;

    OpenBuckets(int maxOpenFiles, long maxBufferedBytes) {
        this.maxOpenFiles = maxOpenFiles;
        this.maxBufferedBytes = maxBufferedBytes;

        // With a limit, iteration order is least recently written first.
        this.buckets = maxOpenFiles > 0 ? new LinkedHashMap<>(16, 0.75f, true) : new HashMap<>();
    }

    Bucket<IN> get(String bucketId) {
        if (bucketId == lastBucketId) {
            return lastBucket;
        }
        Bucket<IN> bucket = buckets.get(bucketId);
        if (bucket != null) {
            lastBucketId = bucketId;
            lastBucket = bucket;
        }
        return bucket;
    }

    void add(Bucket<IN> bucket) {
        buckets.put(bucket.bucketId(), bucket);
    }

    Collection<Bucket<IN>> all() {
        return new ArrayList<>(buckets.values());
    }

    int size() {
        return buckets.size();
    }

    int openFiles() {
        return openFiles;
    }

    long memoryFootprint() {
        long total = 0;
        for (Bucket<IN> bucket : buckets.values()) {
            if (bucket.inProgress() != null) {
                total += bucket.inProgress().memoryFootprint();
            }
        }
        return total;
    }

    /** Makes room for the bucket's write; returns whether its part file was already open. */
    boolean beforeWrite(Bucket<IN> bucket) throws IOException {
        boolean open = bucket.inProgress() != null;
        if (!open && maxOpenFiles > 0 && openFiles >= maxOpenFiles) {
            rollLeastRecentlyWritten(bucket);
        }
        return open;
    }

    void afterWrite(Bucket<IN> bucket, boolean wasOpen) throws IOException {
        if (!wasOpen && bucket.inProgress() != null) {
            openFiles++;
        }
        if (maxBufferedBytes > 0 && ++writesSinceMemoryCheck >= MEMORY_CHECK_INTERVAL) {
            writesSinceMemoryCheck = 0;
            enforceMemoryBudget();
        }
    }

    /**
     * After a restore: counts the resumed files and, if a rescale handed this writer more than the limit allows,
     * rolls the surplus.
     */
    void afterRestore() throws IOException {
        dropInactive();
        while (maxOpenFiles > 0 && openFiles > maxOpenFiles) {
            rollLeastRecentlyWritten(null);
        }
    }

    /** Forgets buckets that hold nothing and recounts open files (after checkpoints and timers). */
    void dropInactive() {
        buckets.values().removeIf(bucket -> !bucket.isActive());
        lastBucketId = null;
        lastBucket = null;
        int open = 0;
        for (Bucket<IN> bucket : buckets.values()) {
            if (bucket.inProgress() != null) {
                open++;
            }
        }
        openFiles = open;
    }

    private void rollLeastRecentlyWritten(Bucket<IN> except) throws IOException {
        for (Bucket<IN> candidate : buckets.values()) {
            if (candidate != except && candidate.inProgress() != null) {
                candidate.rollNow(RollReason.CAPACITY);
                openFiles--;
                return;
            }
        }
    }

    private void enforceMemoryBudget() throws IOException {
        long total = 0;
        List<Bucket<IN>> open = new ArrayList<>();
        for (Bucket<IN> bucket : buckets.values()) {
            InProgressPartFile<IN> file = bucket.inProgress();
            if (file != null) {
                total += file.memoryFootprint();
                open.add(bucket);
            }
        }
        open.sort((a, b) -> Long.compare(b.inProgress().memoryFootprint(), a.inProgress().memoryFootprint()));
        for (Bucket<IN> bucket : open) {
            if (total <= maxBufferedBytes) {
                return;
            }
            total -= bucket.inProgress().memoryFootprint();
            bucket.rollNow(RollReason.CAPACITY);
            openFiles--;
        }
    }

}
