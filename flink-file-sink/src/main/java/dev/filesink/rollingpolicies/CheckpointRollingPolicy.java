package dev.filesink.rollingpolicies;

/**
 * Base for policies of bulk formats: they always roll on checkpoint (bulk files cannot be resumed) and may also
 * roll on events or time. Extends Flink's class of the same name, so the sink's bulk builder takes both.
 */
public abstract class CheckpointRollingPolicy<IN, BucketID>
        extends org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.CheckpointRollingPolicy<IN, BucketID> {

    private static final long serialVersionUID = 1L;
}
