package dev.filesink.s3.writer;

import dev.filesink.util.DataStreams;

import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Serializes {@link S3Recoverable}s for checkpoints (resumables and committables alike). A {@link dev.filesink.storage.objectstore.PendingRecoverable}
 * is first waited for, so a checkpoint only ever records uploaded data.
 *
 * <p>Version 1: magic, bucket, key, upload id (optional), token, parts (number, ETag, size), tail kind (0 none, 1
 * inline bytes, 2 staging key), tail length, length. Version 2 adds whether the state comes from a persist; version
 * 1 state is read as if it did, which at worst costs a listing of the file's staging objects when it is committed.
 * Version 3 adds the final key (optional) of a file written under a hidden name (compacting sinks); earlier versions
 * only knew files written at their final key.
 */
public final class S3RecoverableSerializer<T> implements SimpleVersionedSerializer<T> {

    private static final int MAGIC = 0x53335231; // "S3R1"
    private static final byte TAIL_NONE = 0;
    private static final byte TAIL_INLINE = 1;
    private static final byte TAIL_STAGED = 2;

    /** Whether the bytes open with this format's magic number. */
    public static boolean isOurs(byte[] serialized) {
        return serialized != null && serialized.length >= 4
                && java.nio.ByteBuffer.wrap(serialized).getInt() == MAGIC;
    }

    @Override
    public int getVersion() {
        return 3;
    }

    @Override
    public byte[] serialize(T object) throws IOException {
        S3Recoverable r = S3Recoverable.resolve(object);
        DataOutputSerializer out = new DataOutputSerializer(128 + (r.inlineTail() != null ? r.inlineTail().length : 0));
        out.writeInt(MAGIC);
        out.writeUTF(r.bucket());
        out.writeUTF(r.key());
        DataStreams.writeNullableUtf(out, r.uploadId());
        out.writeUTF(r.token());
        out.writeInt(r.parts().size());
        for (UploadedPart part : r.parts()) {
            out.writeInt(part.number());
            out.writeUTF(part.etag());
            out.writeLong(part.size());
        }
        if (r.inlineTail() != null) {
            out.writeByte(TAIL_INLINE);
            out.writeInt(r.inlineTail().length);
            out.write(r.inlineTail());
        } else if (r.stagingKey() != null) {
            out.writeByte(TAIL_STAGED);
            out.writeUTF(r.stagingKey());
        } else {
            out.writeByte(TAIL_NONE);
        }
        out.writeLong(r.tailLength());
        out.writeLong(r.length());
        out.writeBoolean(r.fromPersist());
        DataStreams.writeNullableUtf(out, r.finalKey());
        return out.getCopyOfBuffer();
    }

    @Override
    @SuppressWarnings("unchecked")
    public T deserialize(int version, byte[] serialized) throws IOException {
        if (version < 1 || version > 3) {
            throw new IOException("Unknown S3 recoverable serialization version " + version);
        }
        DataInputDeserializer in = new DataInputDeserializer(serialized);
        int magic = in.readInt();
        if (magic != MAGIC) {
            throw new IOException("Corrupt S3 recoverable: bad magic number " + Integer.toHexString(magic));
        }
        String bucket = in.readUTF();
        String key = in.readUTF();
        String uploadId = DataStreams.readNullableUtf(in);
        String token = in.readUTF();
        int partCount = in.readInt();
        List<UploadedPart> parts = new ArrayList<>(partCount);
        for (int i = 0; i < partCount; i++) {
            parts.add(new UploadedPart(in.readInt(), in.readUTF(), in.readLong()));
        }
        byte tailKind = in.readByte();
        byte[] inline = null;
        String stagingKey = null;
        if (tailKind == TAIL_INLINE) {
            inline = new byte[in.readInt()];
            in.readFully(inline);
        } else if (tailKind == TAIL_STAGED) {
            stagingKey = in.readUTF();
        } else if (tailKind != TAIL_NONE) {
            throw new IOException("Corrupt S3 recoverable: unknown tail kind " + tailKind);
        }
        long tailLength = in.readLong();
        long length = in.readLong();
        boolean fromPersist = version == 1 || in.readBoolean();
        String finalKey = version >= 3 ? DataStreams.readNullableUtf(in) : null;
        return (T) new S3Recoverable(
                bucket, key, uploadId, token, parts, inline, stagingKey, tailLength, length, fromPersist, finalKey);
    }
}
