package dev.filesink.partitioncommit;

import dev.filesink.partitioncommit.CommittedPartition.Totals;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The partition committer's view of the partitions: their committed files not announced yet, what was announced
 * (only as totals: an announced partition's file list is dropped, so the state stays bounded by what is not yet
 * announced), and the writers' latest progress; decides which partitions are complete (see
 * docs/partition-commit.md, "Triggers"). Pure logic, kept in the operator's state.
 */
public final class PartitionLedger {

    private final PartitionCommit settings;
    /** bucket id -> partition, in bucket id order (announcements of one round go in this order). */
    final TreeMap<String, Partition> partitions = new TreeMap<>();
    /**
     * Each writer subtask's latest progress (an ended writer's last one stays); reports of another parallelism than
     * the latest are dropped (a rescale).
     */
    final TreeMap<Integer, WriterProgress> latestProgress = new TreeMap<>();
    long latestProgressCheckpoint = -1;

    public PartitionLedger(PartitionCommit settings) {
        this.settings = settings;
    }

    /** Takes in one checkpoint's committed files and the writers' progress of it; {@code now}: processing time. */
    public void apply(CheckpointInbox.CheckpointBatch batch, long now) {
        for (CommittedFileInfo file : batch.files()) {
            Partition partition = partitions.computeIfAbsent(file.bucketId(), id -> new Partition());
            partition.files.add(file);
            partition.lastActivity = now;
        }
        if (batch.progress().isEmpty()) {
            return;
        }
        for (WriterProgress progress : batch.progress()) {
            for (String bucketId : progress.bucketsWithRecords()) {
                Partition partition = partitions.get(bucketId);
                if (partition != null) {
                    partition.lastActivity = now;
                } else {
                    partitions.computeIfAbsent(bucketId, id -> new Partition()).lastActivity = now;
                }
            }
        }
        int parallelism = batch.progress().get(batch.progress().size() - 1).parallelism();
        latestProgress.values().removeIf(progress -> progress.parallelism() != parallelism);
        for (WriterProgress progress : batch.progress()) {
            if (progress.parallelism() == parallelism) {
                latestProgress.put(progress.subtask(), progress);
            }
        }
        latestProgressCheckpoint = batch.checkpointId();
    }

    /**
     * Whether the latest progress comes from every writer subtask of one parallelism: without it, nothing is decided
     * (a writer subtask's report is missing, for example right after a rescale).
     */
    public boolean hasProgressOfEveryWriter() {
        if (latestProgress.isEmpty()) {
            return false;
        }
        int parallelism = latestProgress.firstEntry().getValue().parallelism();
        if (latestProgress.size() != parallelism) {
            return false;
        }
        for (WriterProgress progress : latestProgress.values()) {
            if (progress.parallelism() != parallelism) {
                return false;
            }
        }
        return true;
    }

    /** The lowest watermark of the writers' latest progress ({@code Long.MIN_VALUE} without a complete report). */
    public long writersWatermark() {
        if (!hasProgressOfEveryWriter()) {
            return Long.MIN_VALUE;
        }
        return latestProgress.values().stream().mapToLong(WriterProgress::watermark).min().orElse(Long.MIN_VALUE);
    }

    /**
     * The partitions complete now, with files not yet announced, in bucket id order.
     *
     * @param inputEnded the whole input ended and everything was committed (BATCH, or a bounded STREAMING job):
     *     every partition is complete
     */
    public List<Due> completePartitions(long now, boolean inputEnded) {
        boolean allEnded = inputEnded || (hasProgressOfEveryWriter()
                && latestProgress.values().stream().allMatch(WriterProgress::endOfInput));
        Set<String> uncommitted = new HashSet<>();
        latestProgress.values().forEach(progress -> uncommitted.addAll(progress.uncommittedBuckets()));
        long watermark = writersWatermark();
        List<Due> due = new ArrayList<>();
        for (Map.Entry<String, Partition> entry : partitions.entrySet()) {
            String bucketId = entry.getKey();
            Partition partition = entry.getValue();
            if (partition.files.isEmpty()) {
                continue; // nothing new to announce
            }
            boolean complete;
            if (allEnded) {
                complete = true;
            } else if (!hasProgressOfEveryWriter()) {
                complete = false;
            } else if (settings.trigger() == CommitTrigger.PARTITION_TIME) {
                // The final watermark closes every partition without reading its time (ids without one).
                complete = watermark == Long.MAX_VALUE
                        || (watermark != Long.MIN_VALUE && settings.closingTime(bucketId) <= watermark);
            } else {
                complete = now - partition.lastActivity >= settings.delay().toMillis();
            }
            if (complete && partition.firstDue == 0) {
                partition.firstDue = now;
            }
            if (complete && (allEnded || !uncommitted.contains(bucketId))) {
                List<CommittedFileInfo> files = List.copyOf(partition.files);
                Totals totals = partition.announced;
                for (CommittedFileInfo file : files) {
                    totals = plus(totals, file);
                }
                due.add(new Due(bucketId, partition.announcements + 1, files, totals, partition.firstDue));
            }
        }
        return due;
    }

    /** Records that every policy finished for this announcement. */
    public void announced(Due due) {
        Partition partition = partitions.get(due.bucketId());
        partition.files.subList(0, due.files().size()).clear();
        partition.announcements = due.announcement();
        partition.announced = due.totals();
        partition.firstDue = 0;
        if (partition.files.isEmpty()) {
            partition.lastActivity = 0; // counts again from the next file or record: a compact entry keeps no time
        }
    }

    /** The totals with one more file. */
    static Totals plus(Totals totals, CommittedPartition.CommittedFile file) {
        long records = totals.records() < 0 || file.records() < 0 ? -1 : totals.records() + file.records();
        Instant min;
        Instant max;
        if (totals.files() == 0) {
            min = file.minEventTime();
            max = file.maxEventTime();
        } else if (totals.minEventTime() == null || file.minEventTime() == null || file.maxEventTime() == null) {
            min = null; // unknown for one file: unknown for the partition
            max = null;
        } else {
            min = file.minEventTime().isBefore(totals.minEventTime()) ? file.minEventTime() : totals.minEventTime();
            max = file.maxEventTime().isAfter(totals.maxEventTime()) ? file.maxEventTime() : totals.maxEventTime();
        }
        if (min == null || max == null) {
            min = null;
            max = null;
        }
        return new Totals(totals.files() + 1, records, totals.bytes() + file.bytes(), min, max);
    }

    public Collection<String> bucketIds() {
        return partitions.keySet();
    }

    /** A partition as the ledger keeps it. */
    static final class Partition {
        /** The committed files not announced yet, in commit order. */
        final List<CommittedFileInfo> files = new ArrayList<>();
        /** The totals of every file announced so far (their list is not kept). */
        Totals announced = Totals.NONE;
        int announcements;
        /** Processing time of the latest file or reported record; the processing-time trigger waits from it. */
        long lastActivity;
        /** Processing time when the trigger first found it complete for the next announcement; 0: not yet. */
        long firstDue;
    }

    /**
     * A partition to announce now.
     *
     * @param files the files since the previous announcement
     * @param totals of every file committed into the partition, these included
     */
    public record Due(
            String bucketId, int announcement, List<CommittedFileInfo> files, Totals totals, long firstDueMillis) {}
}
