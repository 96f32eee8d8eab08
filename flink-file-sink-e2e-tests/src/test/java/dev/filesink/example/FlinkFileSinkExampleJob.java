package dev.filesink.example;

import org.apache.flink.api.common.serialization.SimpleStringEncoder;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.DefaultRollingPolicy;

/**
 * The example job's text pipeline, with the same operators and uids, writing with Flink's own FileSink: the job the
 * takeover scenarios switch away from. Only in test scope: the test bundles Flink's flink-connector-files into the
 * job jar it submits. Takes the example job's options (local folders only).
 */
public final class FlinkFileSinkExampleJob {

    private FlinkFileSinkExampleJob() {}

    public static void main(String[] args) throws Exception {
        ExampleOptions options = ExampleOptions.parse(args);
        Configuration conf = new Configuration();
        if (options.restartAttempts() == 0) {
            conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        } else {
            conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
            conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, options.restartAttempts());
            conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, options.restartDelay());
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.enableCheckpointing(options.checkpointInterval().toMillis());

        FileSink<String> sink = FileSink.forRowFormat(new Path(options.destination()), new SimpleStringEncoder<String>())
                .withBucketAssigner(new RecordIdBucketAssigner<String>(options.buckets(), ExampleRecords::idOf))
                .withRollingPolicy(DefaultRollingPolicy.builder()
                        .withMaxPartSize(new MemorySize(options.maxPartSize()))
                        .withRolloverInterval(options.rolloverInterval())
                        .withInactivityInterval(options.rolloverInterval())
                        .build())
                .withOutputFileConfig(OutputFileConfig.builder().withPartSuffix(".txt").build())
                .withBucketCheckInterval(Math.min(1_000, options.rolloverInterval().toMillis()))
                .build();
        ExampleRecords.source(env, options.records(), options.rate()).sinkTo(sink).name("file-sink").uid("file-sink");

        System.out.println("Submitted job " + env.executeAsync("flink-filesink-example").getJobID());
    }
}
