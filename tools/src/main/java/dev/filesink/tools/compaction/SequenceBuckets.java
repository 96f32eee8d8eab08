package dev.filesink.tools.compaction;

import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.functions.sink.filesystem.BucketAssigner;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.SimpleVersionedStringSerializer;

/** Spreads records round robin over {@code b000 ... b<n-1>} by their sequence number; the same for both sinks. */
final class SequenceBuckets implements BucketAssigner<String, String> {

    private static final long serialVersionUID = 1L;

    private final String[] ids;

    SequenceBuckets(int buckets) {
        ids = new String[buckets];
        for (int i = 0; i < buckets; i++) {
            ids[i] = String.format("b%03d", i);
        }
    }

    @Override
    public String getBucketId(String element, Context context) {
        return ids[(int) (NumberedRecords.sequenceOf(element) % ids.length)];
    }

    @Override
    public SimpleVersionedSerializer<String> getSerializer() {
        return SimpleVersionedStringSerializer.INSTANCE;
    }
}
