package dev.filesink.takeover;

import dev.filesink.storage.RecoverableSerializers;

import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.RecoverableWriter;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataInputView;

import javax.annotation.Nullable;

import java.io.IOException;
import java.util.OptionalLong;

/**
 * Reads what Flink's {@code FileSink} stores for an in-progress or a pending part file: the storage's recoverable
 * (read with this sink's storage, which for local files and HDFS is the very same Flink recoverable writer), wrapped
 * by Flink's {@code OutputStreamBasedPartFileWriter} serializers (version 1: the recoverable alone; version 2: also
 * the target path and, for pending files, the size).
 */
final class FlinkPartFileRecoverables {

    /** An in-progress file as Flink persisted it. */
    record InProgress(RecoverableWriter.ResumeRecoverable resumable, Path target, long size) {}

    /** A file Flink closed for commit. */
    record Pending(RecoverableWriter.CommitRecoverable recoverable, Path target, long size) {}

    private final RecoverableSerializers serializers;

    FlinkPartFileRecoverables(RecoverableSerializers serializers) {
        this.serializers = serializers;
    }

    /** An in-progress file wrapped by Flink's serializer of the given version. */
    InProgress inProgress(int version, byte[] serialized, String bucketId) throws IOException {
        if (version != 1 && version != 2) {
            throw unknownVersion("in-progress file", version, bucketId);
        }
        DataInputDeserializer in = new DataInputDeserializer(serialized);
        expectMagic(in, FlinkStateMagic.IN_PROGRESS_FILE, "in-progress file", bucketId);
        Path target = version == 2 && in.readBoolean() ? new Path(in.readUTF()) : null;
        return bareInProgress(in, target, bucketId);
    }

    /** An in-progress file as Flink's oldest bucket state stored it: the storage's recoverable alone. */
    InProgress bareInProgress(DataInputView in, @Nullable Path knownTarget, String bucketId) throws IOException {
        RecoverableWriter.ResumeRecoverable resumable =
                readStorageState(in, serializers.resumeRecoverables(), "in-progress", knownTarget, bucketId);
        Path target = targetOf(resumable, knownTarget, "in-progress", bucketId);
        OptionalLong size = RecoverableAccessors.offsetOf(resumable);
        if (size.isEmpty()) {
            throw new FlinkStateTakeoverException("Cannot take over the in-progress file '" + target + "' of bucket '"
                    + bucketId + "' from Flink's FileSink state: its persisted length is not readable from "
                    + resumable.getClass().getName() + ".");
        }
        return new InProgress(resumable, target, size.getAsLong());
    }

    /** A pending file wrapped by Flink's serializer of the given version. */
    Pending pending(int version, byte[] serialized, String bucketId) throws IOException {
        if (version != 1 && version != 2) {
            throw unknownVersion("pending file", version, bucketId);
        }
        DataInputDeserializer in = new DataInputDeserializer(serialized);
        expectMagic(in, FlinkStateMagic.PENDING_FILE, "pending file", bucketId);
        Path target = version == 2 && in.readBoolean() ? new Path(in.readUTF()) : null;
        long size = version == 2 ? in.readLong() : -1;
        RecoverableWriter.CommitRecoverable recoverable =
                readStorageState(in, serializers.commitRecoverables(), "pending", target, bucketId);
        return pendingOf(recoverable, target, size, bucketId);
    }

    /** A pending file as Flink's oldest bucket state stored it: the storage's recoverable alone. */
    Pending barePending(int storageVersion, byte[] serialized, String bucketId) throws IOException {
        RecoverableWriter.CommitRecoverable recoverable;
        try {
            recoverable = serializers.commitRecoverables().deserialize(storageVersion, serialized);
        } catch (IOException | RuntimeException e) {
            throw unreadableStorageState("pending", null, bucketId, e);
        }
        return pendingOf(recoverable, null, -1, bucketId);
    }

    private Pending pendingOf(
            RecoverableWriter.CommitRecoverable recoverable, @Nullable Path knownTarget, long knownSize, String bucketId)
            throws IOException {
        Path target = targetOf(recoverable, knownTarget, "pending", bucketId);
        long size = knownSize;
        if (size < 0) {
            OptionalLong offset = RecoverableAccessors.offsetOf(recoverable);
            if (offset.isEmpty()) {
                throw new FlinkStateTakeoverException("Cannot take over the pending file '" + target + "' of bucket '"
                        + bucketId + "' from Flink's FileSink state: its size is neither stored nor readable from "
                        + recoverable.getClass().getName() + ".");
            }
            size = offset.getAsLong();
        }
        return new Pending(recoverable, target, size);
    }

    private <T> T readStorageState(
            DataInputView in, SimpleVersionedSerializer<T> serializer, String kind, @Nullable Path target,
            String bucketId) throws IOException {
        int storageVersion = in.readInt();
        int length = in.readInt();
        if (length < 0) {
            throw new IOException("Corrupt Flink FileSink state of bucket '" + bucketId + "': negative length " + length);
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        try {
            return serializer.deserialize(storageVersion, bytes);
        } catch (IOException | RuntimeException e) {
            throw unreadableStorageState(kind, target, bucketId, e);
        }
    }

    private FlinkStateTakeoverException unreadableStorageState(
            String kind, @Nullable Path target, String bucketId, Exception cause) {
        return new FlinkStateTakeoverException("Cannot take over the " + kind + " file "
                + (target == null ? "" : "'" + target + "' ") + "of bucket '" + bucketId + "' from Flink's FileSink"
                + " state: its storage state was written by a file system whose state this sink's storage ("
                + serializers.describeStorage() + ") cannot read (" + cause.getMessage() + ").", cause);
    }

    private static Path targetOf(Object recoverable, @Nullable Path knownTarget, String kind, String bucketId)
            throws IOException {
        Path target = knownTarget != null
                ? knownTarget
                : RecoverableAccessors.targetOf(recoverable).orElseThrow(() -> new FlinkStateTakeoverException(
                        "Cannot take over a " + kind + " file of bucket '" + bucketId + "' from Flink's FileSink state:"
                                + " its target path is neither stored nor readable from "
                                + recoverable.getClass().getName() + "."));
        if (target.getName().startsWith(".")) {
            // Flink's sink with compaction on writes every part file under a hidden name ("." + prefix) and only its
            // compaction makes the records visible. Committed here, they would stay hidden: lost to every reader.
            throw new FlinkStateTakeoverException("Cannot take over the " + kind + " file '" + target + "' of bucket '"
                    + bucketId + "' from Flink's FileSink state: its name is hidden, so it comes from a sink with"
                    + " compaction enabled (Flink makes such files visible only by compacting them), and taking over"
                    + " the state of Flink's compaction is not supported.");
        }
        return target;
    }

    private static void expectMagic(DataInputView in, int magic, String kind, String bucketId) throws IOException {
        int actual = in.readInt();
        if (actual != magic) {
            throw new FlinkStateTakeoverException(String.format("Cannot take over a %s of bucket '%s' from Flink's"
                    + " FileSink state: it was not written by Flink's output-stream based part file writer (magic"
                    + " number %08X), for example by a Hadoop bulk writer, which this sink has no back end for.",
                    kind, bucketId, actual));
        }
    }

    private static FlinkStateTakeoverException unknownVersion(String kind, int version, String bucketId) {
        return new FlinkStateTakeoverException("Cannot take over a " + kind + " of bucket '" + bucketId
                + "' from Flink's FileSink state: its serialization version " + version + " is not one that Flink 2.3"
                + " reads or writes (1, 2).");
    }
}
