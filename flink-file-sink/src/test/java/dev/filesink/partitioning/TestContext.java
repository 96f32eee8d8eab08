package dev.filesink.partitioning;

import org.apache.flink.streaming.api.functions.sink.filesystem.BucketAssigner;

/** A bucket assigner context with fixed times. */
final class TestContext implements BucketAssigner.Context {

    private final long processingTime;
    private final Long timestamp;

    TestContext(long processingTime, Long timestamp) {
        this.processingTime = processingTime;
        this.timestamp = timestamp;
    }

    static TestContext none() {
        return new TestContext(0, null);
    }

    static TestContext timestamp(long timestamp) {
        return new TestContext(0, timestamp);
    }

    static TestContext processingTime(long time) {
        return new TestContext(time, null);
    }

    @Override
    public long currentProcessingTime() {
        return processingTime;
    }

    @Override
    public long currentWatermark() {
        return Long.MIN_VALUE;
    }

    @Override
    public Long timestamp() {
        return timestamp;
    }
}
