package dev.filesink.committer;

import dev.filesink.partfile.PendingPartFile;
import dev.filesink.partitioncommit.WriterProgress;

import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.RecoverableWriter;

import javax.annotation.Nullable;

import java.io.Serializable;
import java.util.List;

/**
 * What a writer hands the committer at a checkpoint, acted on once that checkpoint completes: either a pending part
 * file to make visible at its target, or the storage state of an obsolete persist to drop (for example the staged
 * tail of an object-store upload). A pending file that compaction wrote also names its inputs: the pending files it
 * merged, discarded once it is visible (see docs/compaction.md).
 */
public final class FileSinkCommittable implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String bucketId;
    private final Path target;
    private final long size;
    private final long recordCount;
    @Nullable private final transient RecoverableWriter.CommitRecoverable pendingFile;
    @Nullable private final transient RecoverableWriter.ResumeRecoverable resumableToCleanup;
    private final transient List<CompactedInput> compactedInputs;
    /** For a bucket journal trim: the floor to raise it to ({@link #RETIRE_JOURNAL}: remove it); else -2. */
    private final long journalFloor;
    /** The earliest and latest record timestamps of a pending file; {@link #NO_EVENT_TIME} when unknown. */
    private final long minEventTime;
    private final long maxEventTime;
    /** Set only for a writer's progress report (partition commit, see docs/partition-commit.md). */
    @Nullable private final WriterProgress progress;

    /** The floor of a journal trim that removes the whole journal. */
    public static final long RETIRE_JOURNAL = Long.MAX_VALUE;
    /** An unknown event time (the records carried no timestamps, or the file was resumed from an older state). */
    public static final long NO_EVENT_TIME = Long.MIN_VALUE;
    private static final long NO_JOURNAL = -2;

    private FileSinkCommittable(
            String bucketId,
            Path target,
            long size,
            long recordCount,
            @Nullable RecoverableWriter.CommitRecoverable pendingFile,
            @Nullable RecoverableWriter.ResumeRecoverable resumableToCleanup,
            List<CompactedInput> compactedInputs) {
        this(bucketId, target, size, recordCount, pendingFile, resumableToCleanup, compactedInputs, NO_JOURNAL,
                NO_EVENT_TIME, NO_EVENT_TIME, null);
    }

    private FileSinkCommittable(
            String bucketId,
            Path target,
            long size,
            long recordCount,
            @Nullable RecoverableWriter.CommitRecoverable pendingFile,
            @Nullable RecoverableWriter.ResumeRecoverable resumableToCleanup,
            List<CompactedInput> compactedInputs,
            long journalFloor,
            long minEventTime,
            long maxEventTime,
            @Nullable WriterProgress progress) {
        this.journalFloor = journalFloor;
        this.bucketId = bucketId;
        this.target = target;
        this.size = size;
        this.recordCount = recordCount;
        this.pendingFile = pendingFile;
        this.resumableToCleanup = resumableToCleanup;
        this.compactedInputs = List.copyOf(compactedInputs);
        this.minEventTime = minEventTime;
        this.maxEventTime = maxEventTime;
        this.progress = progress;
    }

    /** A writer's progress report for the partition committer; committing it does nothing. */
    public static FileSinkCommittable progress(WriterProgress progress) {
        return new FileSinkCommittable("", new Path("/"), 0, 0, null, null, List.of(), NO_JOURNAL,
                NO_EVENT_TIME, NO_EVENT_TIME, progress);
    }

    /** This pending file with the time range of its records ({@link #NO_EVENT_TIME} when unknown). */
    public FileSinkCommittable withEventTimes(long min, long max) {
        return new FileSinkCommittable(bucketId, target, size, recordCount, pendingFile, resumableToCleanup,
                compactedInputs, journalFloor, min, max, progress);
    }

    /** Whether this is a writer's progress report (then only {@link #progress()} means anything). */
    public boolean isProgress() {
        return progress != null;
    }

    @Nullable
    public WriterProgress progress() {
        return progress;
    }

    public long minEventTime() {
        return minEventTime;
    }

    public long maxEventTime() {
        return maxEventTime;
    }

    public static FileSinkCommittable pendingFile(
            String bucketId, Path target, RecoverableWriter.CommitRecoverable pendingFile, long size, long recordCount) {
        return new FileSinkCommittable(bucketId, target, size, recordCount, pendingFile, null, List.of());
    }

    /** The output of a compaction: a pending file to make visible, then its inputs to discard. */
    public static FileSinkCommittable compacted(
            String bucketId,
            Path target,
            RecoverableWriter.CommitRecoverable pendingFile,
            long size,
            long recordCount,
            List<CompactedInput> inputs) {
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("A compacted file needs its inputs: " + target);
        }
        return new FileSinkCommittable(bucketId, target, size, recordCount, pendingFile, null, inputs);
    }

    public static FileSinkCommittable of(PendingPartFile file) {
        return pendingFile(file.bucketId(), file.target(), file.recoverable(), file.size(), file.recordCount())
                .withEventTimes(file.minEventTime(), file.maxEventTime());
    }

    public static FileSinkCommittable cleanup(String bucketId, Path bucketPath, RecoverableWriter.ResumeRecoverable obsolete) {
        return new FileSinkCommittable(bucketId, bucketPath, 0, 0, null, obsolete, List.of());
    }

    /**
     * Drops the segments of a writer's bucket journal below {@code floor} once the checkpoint completes (restores
     * from it or later need none of them). {@code journalDirectory} is the writer's journal folder.
     */
    public static FileSinkCommittable journalTrim(Path journalDirectory, long floor) {
        if (floor < -1) {
            throw new IllegalArgumentException("Bad journal floor " + floor + " for " + journalDirectory);
        }
        return new FileSinkCommittable("", journalDirectory, 0, 0, null, null, List.of(), floor,
                NO_EVENT_TIME, NO_EVENT_TIME, null);
    }

    /** Removes a writer's bucket journal once the checkpoint completes: no restore from it or later needs it. */
    public static FileSinkCommittable journalRetirement(Path journalDirectory) {
        return journalTrim(journalDirectory, RETIRE_JOURNAL);
    }

    /** Whether this trims or retires a bucket journal (then {@link #target()} is the journal's folder). */
    public boolean isJournalTrim() {
        return journalFloor != NO_JOURNAL;
    }

    /** The floor of a journal trim, {@link #RETIRE_JOURNAL} for a retirement. */
    public long journalFloor() {
        return journalFloor;
    }

    public boolean hasPendingFile() {
        return pendingFile != null;
    }

    /** Whether this is the output of a compaction, whose inputs are discarded after it is committed. */
    public boolean isCompacted() {
        return !compactedInputs.isEmpty();
    }

    /** The pending files a compaction merged into this one (empty for any other committable). */
    public List<CompactedInput> compactedInputs() {
        return compactedInputs;
    }

    public String bucketId() {
        return bucketId;
    }

    /** The final path of the pending file; for a cleanup, the bucket's directory. */
    public Path target() {
        return target;
    }

    @Nullable
    public RecoverableWriter.CommitRecoverable pendingFile() {
        return pendingFile;
    }

    @Nullable
    public RecoverableWriter.ResumeRecoverable resumableToCleanup() {
        return resumableToCleanup;
    }

    public long size() {
        return size;
    }

    public long recordCount() {
        return recordCount;
    }

    @Override
    public String toString() {
        if (isProgress()) {
            return "FileSinkCommittable{" + progress + '}';
        }
        if (isJournalTrim()) {
            return "FileSinkCommittable{" + (journalFloor == RETIRE_JOURNAL ? "retirement" : "trim to " + journalFloor)
                    + " of bucket journal " + target + '}';
        }
        if (isCompacted()) {
            return "FileSinkCommittable{bucket='" + bucketId + "', target=" + target + ", size=" + size
                    + ", compacted from " + compactedInputs.size() + " files}";
        }
        return hasPendingFile()
                ? "FileSinkCommittable{bucket='" + bucketId + "', target=" + target + ", size=" + size + '}'
                : "FileSinkCommittable{bucket='" + bucketId + "', cleanup of an obsolete persist}";
    }
}
