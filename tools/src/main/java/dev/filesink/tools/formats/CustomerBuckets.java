package dev.filesink.tools.formats;

import dev.filesink.bucketassigners.StringBucketIdSerializer;

import org.apache.avro.generic.GenericRecord;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.functions.sink.filesystem.BucketAssigner;

/** Buckets orders by customer modulo a bucket count; the same assigner for both sinks. */
final class CustomerBuckets implements BucketAssigner<GenericRecord, String> {

    private static final long serialVersionUID = 1L;

    private final int buckets;

    CustomerBuckets(int buckets) {
        this.buckets = buckets;
    }

    @Override
    public String getBucketId(GenericRecord record, Context context) {
        return "customer-" + ((Integer) record.get(1) % buckets);
    }

    @Override
    public SimpleVersionedSerializer<String> getSerializer() {
        return StringBucketIdSerializer.INSTANCE;
    }
}
