package dev.filesink.formats.testing;

import dev.filesink.bucketassigners.StringBucketIdSerializer;

import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.functions.sink.filesystem.BucketAssigner;
import org.apache.flink.util.function.SerializableFunction;

/** Spreads records over a fixed number of buckets by their id. */
public final class ModuloAssigner<T> implements BucketAssigner<T, String> {

    private static final long serialVersionUID = 1L;

    private final SerializableFunction<T, Long> id;
    private final int buckets;

    public ModuloAssigner(SerializableFunction<T, Long> id, int buckets) {
        this.id = id;
        this.buckets = buckets;
    }

    @Override
    public String getBucketId(T element, Context context) {
        return "b" + (id.apply(element) % buckets);
    }

    @Override
    public SimpleVersionedSerializer<String> getSerializer() {
        return StringBucketIdSerializer.INSTANCE;
    }
}
