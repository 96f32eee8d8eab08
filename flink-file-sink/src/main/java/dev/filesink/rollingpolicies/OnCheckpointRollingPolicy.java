package dev.filesink.rollingpolicies;

import org.apache.flink.streaming.api.functions.sink.filesystem.PartFileInfo;

/** Rolls part files on every checkpoint and never otherwise: the policy of bulk formats. */
public final class OnCheckpointRollingPolicy<IN, BucketID> extends CheckpointRollingPolicy<IN, BucketID> {

    private static final long serialVersionUID = 1L;

    private OnCheckpointRollingPolicy() {}

    public static <IN, BucketID> OnCheckpointRollingPolicy<IN, BucketID> build() {
        return new OnCheckpointRollingPolicy<>();
    }

    @Override
    public boolean shouldRollOnEvent(PartFileInfo<BucketID> partFile, IN element) {
        return false;
    }

    @Override
    public boolean shouldRollOnProcessingTime(PartFileInfo<BucketID> partFile, long currentTime) {
        return false;
    }

    @Override
    public String toString() {
        return "OnCheckpointRollingPolicy";
    }
}
