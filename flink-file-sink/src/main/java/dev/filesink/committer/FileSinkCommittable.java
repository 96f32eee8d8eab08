package dev.filesink.committer;

import dev.filesink.partfile.PendingPartFile;

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

    private FileSinkCommittable(
            String bucketId,
            Path target,
            long size,
            long recordCount,
            @Nullable RecoverableWriter.CommitRecoverable pendingFile,
            @Nullable RecoverableWriter.ResumeRecoverable resumableToCleanup,
            List<CompactedInput> compactedInputs) {
        this.bucketId = bucketId;
        this.target = target;
        this.size = size;
        this.recordCount = recordCount;
        this.pendingFile = pendingFile;
        this.resumableToCleanup = resumableToCleanup;
        this.compactedInputs = List.copyOf(compactedInputs);
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
        return pendingFile(file.bucketId(), file.target(), file.recoverable(), file.size(), file.recordCount());
    }

    public static FileSinkCommittable cleanup(String bucketId, Path bucketPath, RecoverableWriter.ResumeRecoverable obsolete) {
        return new FileSinkCommittable(bucketId, bucketPath, 0, 0, null, obsolete, List.of());
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
        if (isCompacted()) {
            return "FileSinkCommittable{bucket='" + bucketId + "', target=" + target + ", size=" + size
                    + ", compacted from " + compactedInputs.size() + " files}";
        }
        return hasPendingFile()
                ? "FileSinkCommittable{bucket='" + bucketId + "', target=" + target + ", size=" + size + '}'
                : "FileSinkCommittable{bucket='" + bucketId + "', cleanup of an obsolete persist}";
    }
}
