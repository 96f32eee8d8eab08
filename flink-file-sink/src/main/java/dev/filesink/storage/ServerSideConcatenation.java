package dev.filesink.storage;

import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.RecoverableWriter;

import javax.annotation.Nullable;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * A storage's own way to build one pending part file from the bytes of others, in the store, without moving the
 * bytes through the task manager where the store allows it (S3 {@code UploadPartCopy}, Azure Put Block From URL).
 * Used for compactors that only concatenate bytes (Flink's {@code ConcatFileCompactor} and
 * {@code IdenticalFileCompactor}); see docs/compaction.md.
 */
public interface ServerSideConcatenation {

    /**
     * Concatenates the inputs' bytes, in order, each followed by {@code delimiter} if it is not null, into a new
     * pending (invisible, uncommitted) part file whose final name is {@code target}. Nothing of the inputs changes:
     * they stay committable until the committer discards them after the output's commit. An output left half built by
     * a failure is found by name by {@link StorageSession#discardInProgress}.
     *
     * @return the new pending file, or empty if this storage cannot concatenate these inputs (the caller then
     *     compacts through the task manager with {@link StorageSession#compactionSource})
     */
    Optional<ConcatenatedFile> concatenate(Path target, List<ConcatenationInput> inputs, @Nullable byte[] delimiter)
            throws IOException;

    /** One pending file to concatenate. */
    record ConcatenationInput(Path target, RecoverableWriter.CommitRecoverable pendingFile, long size) {}

    /**
     * The concatenated pending file.
     *
     * @param bytesThroughTaskManager bytes that still passed through the task manager (small inputs an object store
     *     cannot copy by itself, delimiters), not counting request overhead
     */
    record ConcatenatedFile(RecoverableWriter.CommitRecoverable pendingFile, long size, long bytesThroughTaskManager) {}
}
