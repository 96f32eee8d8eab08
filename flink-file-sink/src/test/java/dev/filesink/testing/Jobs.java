package dev.filesink.testing;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.streaming.api.datastream.DataStreamSource;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.time.Duration;

/** Small building blocks for the integration tests' jobs. */
public final class Jobs {

    private Jobs() {}

    /** A STREAMING environment with checkpoints and a restart strategy that survives injected failures. */
    public static StreamExecutionEnvironment streaming(int parallelism, long checkpointIntervalMs) {
        return streaming(parallelism, checkpointIntervalMs, restarting());
    }

    /** As {@link #streaming(int, long)}, with the given cluster configuration. */
    public static StreamExecutionEnvironment streaming(int parallelism, long checkpointIntervalMs, Configuration conf) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setRuntimeMode(RuntimeExecutionMode.STREAMING);
        env.setParallelism(parallelism);
        env.enableCheckpointing(checkpointIntervalMs);
        return env;
    }

    /** A BATCH environment with a restart strategy. */
    public static StreamExecutionEnvironment batch(int parallelism) {
        return batch(parallelism, restarting());
    }

    /** As {@link #batch(int)}, with the given cluster configuration. */
    public static StreamExecutionEnvironment batch(int parallelism, Configuration conf) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        env.setParallelism(parallelism);
        return env;
    }

    public static Configuration restarting() {
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 20);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(100));
        return conf;
    }

    /** Restores the next job of this configuration from a savepoint. */
    public static Configuration fromSavepoint(Configuration conf, String savepointPath) {
        conf.set(StateRecoveryOptions.SAVEPOINT_PATH, savepointPath);
        return conf;
    }

    /** Test records 0..count-1, at most {@code perSecond} per second (0: as fast as possible). */
    public static DataStreamSource<String> records(StreamExecutionEnvironment env, long count, double perSecond) {
        RateLimiterStrategy<?> rate = perSecond > 0 ? RateLimiterStrategy.perSecond(perSecond) : RateLimiterStrategy.noOp();
        DataGeneratorSource<String> source =
                new DataGeneratorSource<>(TestRecords::record, count, rate, Types.STRING);
        return env.fromSource(source, WatermarkStrategy.noWatermarks(), "test-records");
    }
}
