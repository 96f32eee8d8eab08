package com.example.filesink;

import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.functions.sink.filesystem.BucketAssigner;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.SimpleVersionedStringSerializer;

/** A user's own bucket assigner: orders into three Hive-style partitions, {@code shard=0..2}. */
public final class OrderShards implements BucketAssigner<Order, String> {

    private static final long serialVersionUID = 1L;

    @Override
    public String getBucketId(Order order, Context context) {
        return "shard=" + (order.id % 3);
    }

    @Override
    public SimpleVersionedSerializer<String> getSerializer() {
        return SimpleVersionedStringSerializer.INSTANCE;
    }
}
