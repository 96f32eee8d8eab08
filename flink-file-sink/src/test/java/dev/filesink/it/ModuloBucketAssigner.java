package dev.filesink.it;

import dev.filesink.bucketassigners.StringBucketIdSerializer;
import dev.filesink.testing.TestRecords;

import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.functions.sink.filesystem.BucketAssigner;

/** Spreads test records over a fixed number of buckets by id. */
public final class ModuloBucketAssigner implements BucketAssigner<String, String> {

    private static final long serialVersionUID = 1L;

    private final int buckets;

    public ModuloBucketAssigner(int buckets) {
        this.buckets = buckets;
    }

    @Override
    public String getBucketId(String element, Context context) {
        return "bucket-" + (TestRecords.idOf(element) % buckets);
    }

    @Override
    public SimpleVersionedSerializer<String> getSerializer() {
        return StringBucketIdSerializer.INSTANCE;
    }
}
