package dev.filesink.example;

import dev.filesink.FileSink;
import dev.filesink.bucketassigners.DateTimeBucketAssigner;
import dev.filesink.rollingpolicies.DefaultRollingPolicy;
import dev.filesink.rollingpolicies.OnCheckpointRollingPolicy;

import org.apache.flink.api.common.serialization.SimpleStringEncoder;
import org.apache.flink.streaming.api.functions.sink.filesystem.BucketAssigner;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.RollingPolicy;

/** Builds the example's sink from the options: format, bucketing, rolling, storage. */
final class ExampleSinks {

    private ExampleSinks() {}

    static FileSink<String> build(ExampleOptions options, Destination destination) {
        switch (options.format()) {
            case "text":
                return FileSink.forRowFormat(destination.basePath(), new SimpleStringEncoder<String>())
                        .withStorage(destination.storage())
                        .withBucketAssigner(bucketAssigner(options))
                        .withRollingPolicy(rowRollingPolicy(options))
                        .withOutputFileConfig(OutputFileConfig.builder().withPartSuffix(".txt").build())
                        .withBucketCheckInterval(Math.min(1_000, options.rolloverInterval().toMillis()))
                        .withWriteBufferSize(options.writeBufferSize())
                        .withCommitParallelism(options.commitParallelism())
                        .build();
            default:
                throw new IllegalArgumentException("Option --format: unsupported format '" + options.format()
                        + "'. Supported: text.");
        }
    }

    static BucketAssigner<String, String> bucketAssigner(ExampleOptions options) {
        return options.buckets() > 0 ? new RecordIdBucketAssigner(options.buckets()) : new DateTimeBucketAssigner<>();
    }

    static RollingPolicy<String, String> rowRollingPolicy(ExampleOptions options) {
        if (options.rollOnCheckpoint()) {
            return OnCheckpointRollingPolicy.build();
        }
        return DefaultRollingPolicy.builder()
                .withMaxPartSize(options.maxPartSize())
                .withRolloverInterval(options.rolloverInterval())
                .withInactivityInterval(options.rolloverInterval())
                .build();
    }
}
