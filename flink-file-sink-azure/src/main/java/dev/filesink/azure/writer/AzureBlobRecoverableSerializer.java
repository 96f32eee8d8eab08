package dev.filesink.azure.writer;

import dev.filesink.util.DataStreams;

import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

import java.io.IOException;

/**
 * Writes {@link AzureBlobRecoverable}s into checkpoints: names, length and the block list as runs. Version 2 adds the
 * hidden name a compacting sink stages under (version 1 states have none and keep restoring).
 */
public final class AzureBlobRecoverableSerializer implements SimpleVersionedSerializer<Object> {

    public static final AzureBlobRecoverableSerializer INSTANCE = new AzureBlobRecoverableSerializer();

    private static final int VERSION = 2;
    private static final int MAGIC = 0xA2B10B01;

    private AzureBlobRecoverableSerializer() {}

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(Object object) throws IOException {
        // A checkpoint may only refer to stored blocks: resolving waits for them.
        AzureBlobRecoverable recoverable = AzureBlobRecoverable.resolve(object);
        DataOutputSerializer out = new DataOutputSerializer(128);
        out.writeInt(MAGIC);
        out.writeUTF(recoverable.container());
        out.writeUTF(recoverable.blobName());
        out.writeLong(recoverable.length());
        recoverable.blocks().writeTo(out);
        DataStreams.writeNullableUtf(out, recoverable.hiddenName());
        return out.getCopyOfBuffer();
    }

    @Override
    public AzureBlobRecoverable deserialize(int version, byte[] serialized) throws IOException {
        if (version != 1 && version != 2) {
            throw new IOException("Unknown version " + version + " of an Azure blob recoverable");
        }
        DataInputDeserializer in = new DataInputDeserializer(serialized);
        if (in.readInt() != MAGIC) {
            throw new IOException("Not an Azure blob recoverable (wrong magic number): was the sink's storage changed?");
        }
        String container = in.readUTF();
        String blobName = in.readUTF();
        long length = in.readLong();
        BlockList blocks = BlockList.readFrom(in);
        String hiddenName = version >= 2 ? DataStreams.readNullableUtf(in) : null;
        return new AzureBlobRecoverable(container, blobName, hiddenName, blocks, length);
    }
}
