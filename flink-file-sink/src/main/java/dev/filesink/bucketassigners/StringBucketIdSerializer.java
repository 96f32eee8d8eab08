package dev.filesink.bucketassigners;

import org.apache.flink.core.io.SimpleVersionedSerializer;

import java.nio.charset.StandardCharsets;

/** Serializes string bucket ids as UTF-8 (version 1). */
public final class StringBucketIdSerializer implements SimpleVersionedSerializer<String> {

    public static final StringBucketIdSerializer INSTANCE = new StringBucketIdSerializer();

    private StringBucketIdSerializer() {}

    @Override
    public int getVersion() {
        return 1;
    }

    @Override
    public byte[] serialize(String bucketId) {
        return bucketId.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String deserialize(int version, byte[] serialized) {
        return new String(serialized, StandardCharsets.UTF_8);
    }
}
