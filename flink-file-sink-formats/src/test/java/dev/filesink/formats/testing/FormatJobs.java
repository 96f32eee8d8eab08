package dev.filesink.formats.testing;

import dev.filesink.testing.FailureInjector;
import dev.filesink.testing.Jobs;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.util.function.Consumer;

/**
 * Jobs that write ids 0..count-1, mapped to each format's records right before its sinks (chained, with object
 * reuse, so records need no Flink serializer).
 */
public final class FormatJobs {

    private FormatJobs() {}

    /**
     * STREAMING, checkpoints every 200 ms, with failures at records, during a checkpoint and after a commit, so that
     * part files are resumed from persisted lengths and bulk files are lost and rewritten.
     */
    public static void streamingWithFailures(long count, Consumer<DataStream<Long>> sinks) throws Exception {
        StreamExecutionEnvironment env = Jobs.streaming(2, 200);
        env.getConfig().enableObjectReuse();
        FailureInjector<Long> failures = FailureInjector.plan()
                .atRecord(count / 6)
                .duringCheckpoint(2)
                .afterCheckpointComplete(2)
                .atRecord(count / 5)
                .build();
        sinks.accept(ids(env, count, count / 3.0).map(failures));
        env.execute("formats streaming with failures");
        assertFired(failures);
    }

    /** BATCH, with one failure. */
    public static void batchWithFailure(long count, Consumer<DataStream<Long>> sinks) throws Exception {
        StreamExecutionEnvironment env = Jobs.batch(2);
        env.getConfig().enableObjectReuse();
        FailureInjector<Long> failures = FailureInjector.plan().onAnySubtask().atRecord(count / 4).build();
        sinks.accept(ids(env, count, 0).map(failures));
        env.execute("formats batch with a failure");
        assertFired(failures);
    }

    /** A planned failure that never fired would turn the test into a happy path. */
    private static void assertFired(FailureInjector<Long> failures) {
        if (failures.fired() != failures.planned()) {
            throw new AssertionError("injected failures that fired: " + failures.fired() + " of " + failures.planned());
        }
    }

    private static DataStream<Long> ids(StreamExecutionEnvironment env, long count, double perSecond) {
        RateLimiterStrategy<?> rate = perSecond > 0 ? RateLimiterStrategy.perSecond(perSecond) : RateLimiterStrategy.noOp();
        return env.fromSource(new DataGeneratorSource<>(index -> index, count, rate, Types.LONG),
                WatermarkStrategy.noWatermarks(), "ids");
    }
}
