package dev.filesink.takeover;

import dev.filesink.committer.FileSinkCommittable;
import dev.filesink.storage.RecoverableSerializers;

import org.apache.flink.core.fs.Path;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataInputView;

import java.io.IOException;

/**
 * Reads a committable as Flink's {@code FileSinkCommittableSerializer} wrote it (version 2 in Flink 2.3, version 1
 * before it had bucket ids): a pending file to commit, or an in-progress file whose persisted state a newer persist
 * made obsolete. Compaction's "compacted file to clean up" has no counterpart here and fails the restore.
 */
public final class FlinkCommittableReader {

    private final FlinkPartFileRecoverables recoverables;
    private final Path basePath;

    public FlinkCommittableReader(RecoverableSerializers serializers) {
        this.recoverables = new FlinkPartFileRecoverables(serializers);
        this.basePath = serializers.basePath();
    }

    public FileSinkCommittable read(int version, byte[] serialized) throws IOException {
        if (version != 1 && version != 2) {
            throw new FlinkStateTakeoverException("Cannot take over a committable of Flink's FileSink committer state:"
                    + " its serialization version " + version + " is not one this sink knows (Flink 2.3 writes 2 and"
                    + " reads 1 and 2).");
        }
        DataInputDeserializer in = new DataInputDeserializer(serialized);
        in.readInt(); // the magic number, already checked by the caller
        String bucketId = version == 2 ? in.readUTF() : "";

        FlinkPartFileRecoverables.Pending pending = in.readBoolean()
                ? recoverables.pending(in.readInt(), readBytes(in, bucketId), bucketId)
                : null;
        FlinkPartFileRecoverables.InProgress toCleanup = in.readBoolean()
                ? recoverables.inProgress(in.readInt(), readBytes(in, bucketId), bucketId)
                : null;
        if (version == 2 && in.readBoolean()) {
            String compacted = in.readUTF();
            throw new FlinkStateTakeoverException("Cannot take over a committable of bucket '" + bucketId + "' from"
                    + " Flink's FileSink state: it asks to delete '" + compacted + "' after a file compaction, and"
                    + " this sink does not compact files.");
        }
        if (pending != null && toCleanup != null) {
            throw new IOException("Corrupt Flink FileSink committable of bucket '" + bucketId + "': it holds both the"
                    + " pending file '" + pending.target() + "' and an in-progress file to clean up");
        }
        if (pending != null) {
            return FileSinkCommittable.pendingFile(bucketId, pending.target(), pending.recoverable(), pending.size(), 0);
        }
        if (toCleanup != null) {
            Path bucketPath = toCleanup.target().getParent() != null ? toCleanup.target().getParent() : basePath;
            return FileSinkCommittable.cleanup(bucketId, bucketPath, toCleanup.resumable());
        }
        throw new IOException("Corrupt Flink FileSink committable of bucket '" + bucketId + "': it holds nothing");
    }

    private static byte[] readBytes(DataInputView in, String bucketId) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            throw new IOException("Corrupt Flink FileSink committable of bucket '" + bucketId + "': negative length "
                    + length);
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return bytes;
    }
}
