package dev.filesink.partitioncommit;

import java.io.Serializable;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/**
 * What one writer subtask tells the partition committer at a checkpoint (and at the end of input), travelling as a
 * committable through compaction and the committers, which commit nothing for it and pass it on.
 *
 * @param subtask the writer subtask's index
 * @param parallelism the writers' parallelism when this was sent (the committer waits for all of them)
 * @param watermark the writer's watermark at {@code prepareCommit} ({@code Long.MIN_VALUE} without watermarks)
 * @param uncommittedBuckets buckets holding data that is not yet handed to the committer (an open in-progress file)
 * @param bucketsWithRecords buckets that received records since the writer's previous progress
 * @param endOfInput whether this is the writer's last progress: its input ended
 */
public record WriterProgress(
        int subtask,
        int parallelism,
        long watermark,
        Set<String> uncommittedBuckets,
        Set<String> bucketsWithRecords,
        boolean endOfInput)
        implements Serializable {

    public WriterProgress {
        if (subtask < 0 || parallelism <= 0 || subtask >= parallelism) {
            throw new IllegalArgumentException("Bad writer subtask " + subtask + " of " + parallelism);
        }
        // Sorted: the same progress always serializes to the same bytes.
        uncommittedBuckets = Collections.unmodifiableSortedSet(new TreeSet<>(uncommittedBuckets));
        bucketsWithRecords = Collections.unmodifiableSortedSet(new TreeSet<>(bucketsWithRecords));
    }
}
