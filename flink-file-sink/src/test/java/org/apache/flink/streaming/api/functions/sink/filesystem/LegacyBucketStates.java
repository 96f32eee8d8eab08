package org.apache.flink.streaming.api.functions.sink.filesystem;

import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.RecoverableWriter;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.SimpleVersionedStringSerializer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Test helper in Flink's package: serializes a bucket's state with the legacy {@code StreamingFileSink}'s own
 * {@code BucketStateSerializer} (package-private), the format that may still carry pending files per checkpoint.
 */
public final class LegacyBucketStates {

    /** A pending file: the storage's recoverable, its target and size. */
    public record Pending(RecoverableWriter.CommitRecoverable recoverable, Path target, long size) {}

    private LegacyBucketStates() {}

    public static int version(RecoverableWriter writer) {
        return serializer(writer).getVersion();
    }

    public static byte[] serialize(
            RecoverableWriter writer,
            String bucketId,
            Path bucketPath,
            long creationTime,
            RecoverableWriter.ResumeRecoverable inProgress,
            Path inProgressTarget,
            Map<Long, List<Pending>> pendingPerCheckpoint)
            throws IOException {
        Map<Long, List<InProgressFileWriter.PendingFileRecoverable>> pending = new TreeMap<>();
        pendingPerCheckpoint.forEach((checkpoint, files) -> {
            List<InProgressFileWriter.PendingFileRecoverable> recoverables = new ArrayList<>();
            for (Pending file : files) {
                recoverables.add(new OutputStreamBasedPartFileWriter.OutputStreamBasedPendingFileRecoverable(
                        file.recoverable(), file.target(), file.size()));
            }
            pending.put(checkpoint, recoverables);
        });
        BucketState<String> state = new BucketState<>(bucketId, bucketPath, creationTime,
                new OutputStreamBasedPartFileWriter.OutputStreamBasedInProgressFileRecoverable(inProgress, inProgressTarget),
                pending);
        return serializer(writer).serialize(state);
    }

    private static BucketStateSerializer<String> serializer(RecoverableWriter writer) {
        return new BucketStateSerializer<>(
                new OutputStreamBasedPartFileWriter.OutputStreamBasedInProgressFileRecoverableSerializer(
                        writer.getResumeRecoverableSerializer()),
                new OutputStreamBasedPartFileWriter.OutputStreamBasedPendingFileRecoverableSerializer(
                        writer.getCommitRecoverableSerializer()),
                SimpleVersionedStringSerializer.INSTANCE);
    }
}
