package dev.filesink.takeover;

import dev.filesink.bucket.BucketState;
import dev.filesink.bucket.InProgressFileState;
import dev.filesink.partfile.PartFileNaming;
import dev.filesink.partfile.PendingPartFile;
import dev.filesink.storage.RecoverableSerializers;
import dev.filesink.writer.FileWriterState;

import org.apache.flink.core.fs.Path;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataInputView;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads one bucket's state as Flink's {@code FileWriterBucketStateSerializer} wrote it (version 3 in Flink 2.3;
 * versions 1 and 2 came from the legacy {@code StreamingFileSink} and may hold pending files) into our writer state.
 *
 * <p>Flink's writer names part files {@code <prefix>-<uid>-<counter><suffix>} with a random uid per bucket, and
 * stores no counter. The in-progress file's name gives both: every file of that uid with a higher counter was opened
 * after the checkpoint, so the restored state says exactly that (its next counter is the in-progress file's plus
 * one), and our writer discards those files as orphans. A bucket without an in-progress file names no uid; its state
 * claims no orphans.
 */
public final class FlinkBucketStateReader {

    /** The uid prefix of states that name no writer of Flink's whose files could be orphans. */
    static final String NO_ORPHANS_UID_PREFIX = "flink-filesink-bucket:";

    private final FlinkPartFileRecoverables recoverables;
    private final PartFileNaming naming;

    public FlinkBucketStateReader(RecoverableSerializers serializers, PartFileNaming naming) {
        this.recoverables = new FlinkPartFileRecoverables(serializers);
        this.naming = naming;
    }

    public FileWriterState read(int version, byte[] serialized) throws IOException {
        if (version < 1 || version > 3) {
            throw new FlinkStateTakeoverException("Cannot take over a bucket of Flink's FileSink writer state: its"
                    + " serialization version " + version + " is not one this sink knows (Flink 2.3 writes 3 and"
                    + " reads 1 to 3).");
        }
        DataInputDeserializer in = new DataInputDeserializer(serialized);
        in.readInt(); // the magic number, already checked by the caller
        String bucketId = readBucketId(in);
        Path bucketPath = new Path(in.readUTF());
        long creationTime = in.readLong();

        FlinkPartFileRecoverables.InProgress inProgress = null;
        if (in.readBoolean()) {
            inProgress = version == 1
                    ? recoverables.bareInProgress(in, null, bucketId)
                    : recoverables.inProgress(in.readInt(), readBytes(in, bucketId), bucketId);
        }
        List<PendingPartFile> pending = version < 3 ? readPendingFiles(in, version, bucketId) : List.of();

        if (inProgress == null) {
            return new FileWriterState(NO_ORPHANS_UID_PREFIX + bucketPath, Long.MAX_VALUE,
                    List.of(new BucketState(bucketId, bucketPath, null, pending)));
        }
        InProgressFileState file =
                new InProgressFileState(inProgress.target(), inProgress.resumable(), creationTime, inProgress.size(), 0);
        BucketState bucket = new BucketState(bucketId, bucketPath, file, pending);
        Optional<PartFileNaming.ParsedName> name = naming.parse(inProgress.target().getName());
        if (name.isEmpty()) {
            // Named with another part file config: we cannot tell Flink's later files apart, so we claim none.
            return new FileWriterState(NO_ORPHANS_UID_PREFIX + inProgress.target(), Long.MAX_VALUE, List.of(bucket));
        }
        return new FileWriterState(name.get().uid(), name.get().counter() + 1, List.of(bucket));
    }

    private List<PendingPartFile> readPendingFiles(DataInputView in, int version, String bucketId) throws IOException {
        int storageVersion = in.readInt();
        int checkpoints = in.readInt();
        List<PendingPartFile> result = new ArrayList<>();
        for (int i = 0; i < checkpoints; i++) {
            in.readLong(); // the checkpoint id: all of them are committed with our first checkpoint
            int files = in.readInt();
            for (int j = 0; j < files; j++) {
                byte[] bytes = readBytes(in, bucketId);
                FlinkPartFileRecoverables.Pending file = version == 1
                        ? recoverables.barePending(storageVersion, bytes, bucketId)
                        : recoverables.pending(storageVersion, bytes, bucketId);
                result.add(new PendingPartFile(bucketId, file.target(), file.recoverable(), file.size(), 0));
            }
        }
        return result;
    }

    /** Flink's bucket id: a versioned string whose bytes are a little-endian length and UTF-8. */
    private static String readBucketId(DataInputView in) throws IOException {
        int version = in.readInt();
        if (version != 1) {
            throw new FlinkStateTakeoverException("Cannot take over a bucket of Flink's FileSink writer state: its"
                    + " bucket id has the unknown serialization version " + version + ".");
        }
        byte[] bytes = readBytes(in, "?");
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int length = buffer.getInt();
        if (length < 0 || length > buffer.remaining()) {
            throw new IOException("Corrupt Flink FileSink state: bucket id length " + length);
        }
        return new String(bytes, Integer.BYTES, length, StandardCharsets.UTF_8);
    }

    private static byte[] readBytes(DataInputView in, String bucketId) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            throw new IOException("Corrupt Flink FileSink state of bucket '" + bucketId + "': negative length " + length);
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return bytes;
    }
}
