package dev.filesink.example;

import dev.filesink.bucketassigners.StringBucketIdSerializer;

import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.functions.sink.filesystem.BucketAssigner;
import org.apache.flink.util.function.SerializableFunction;

/** Spreads the example's records over a fixed number of buckets ({@code bucket-007}) by their sequence number. */
final class RecordIdBucketAssigner<T> implements BucketAssigner<T, String> {

    private static final long serialVersionUID = 1L;

    private final int buckets;
    private final String idFormat;
    private final SerializableFunction<T, Long> idOf;

    RecordIdBucketAssigner(int buckets, SerializableFunction<T, Long> idOf) {
        if (buckets < 1) {
            throw new IllegalArgumentException("buckets must be at least 1, was " + buckets);
        }
        this.buckets = buckets;
        this.idFormat = "bucket-%0" + String.valueOf(buckets - 1).length() + "d";
        this.idOf = idOf;
    }

    @Override
    public String getBucketId(T record, Context context) {
        return String.format(idFormat, idOf.apply(record) % buckets);
    }

    @Override
    public SimpleVersionedSerializer<String> getSerializer() {
        return StringBucketIdSerializer.INSTANCE;
    }

    @Override
    public String toString() {
        return "RecordIdBucketAssigner{buckets=" + buckets + "}";
    }
}
