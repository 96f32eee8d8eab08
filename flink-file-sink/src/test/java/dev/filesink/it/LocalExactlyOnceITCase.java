package dev.filesink.it;

import dev.filesink.FileSink;
import dev.filesink.rollingpolicies.DefaultRollingPolicy;
import dev.filesink.testing.FailureInjector;
import dev.filesink.testing.FinishedFiles;
import dev.filesink.testing.Jobs;
import dev.filesink.testing.VisibleOutputWatcher;

import org.apache.flink.api.common.serialization.SimpleStringEncoder;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Exactly-once into a local folder, with failures injected at records, during checkpoints and after commits. */
class LocalExactlyOnceITCase {

    @TempDir java.nio.file.Path out;

    @Test
    void streamingWithFailuresWritesEveryRecordExactlyOnce() throws Exception {
        long count = 12_000;
        StreamExecutionEnvironment env = Jobs.streaming(2, 200);
        FailureInjector<String> failures = FailureInjector.plan()
                .atRecord(700)
                .duringCheckpoint(2)
                .afterCheckpointComplete(2)
                .atRecord(1_500)
                .build();
        Jobs.records(env, count, 6_000)
                .map(failures)
                .sinkTo(FileSink.forRowFormat(new Path(out.toUri()), new SimpleStringEncoder<String>())
                        .withBucketAssigner(new ModuloBucketAssigner(5))
                        .withRollingPolicy(DefaultRollingPolicy.builder()
                                .withMaxPartSize(16 * 1024)
                                .withRolloverInterval(Duration.ofSeconds(1))
                                .build())
                        .withOutputFileConfig(OutputFileConfig.builder().withPartSuffix(".txt").build())
                        .withBucketCheckInterval(100)
                        .build());

        try (VisibleOutputWatcher watcher = VisibleOutputWatcher.ofFolder(out)) {
            env.execute("streaming exactly-once with failures");
            assertThat(watcher.violations()).isEmpty();
        }
        assertThat(failures.fired()).as("injected failures that fired").isEqualTo(failures.planned());
        FinishedFiles.assertExactlyOnce(out, count);
        assertThat(FinishedFiles.visible(out)).allSatisfy(file -> assertThat(file.getFileName().toString())
                .matches("part-[0-9a-f-]{36}-\\d+\\.txt"));
    }

    @Test
    void batchWithFailuresWritesEveryRecordExactlyOnceAndLeavesNoLitter() throws Exception {
        long count = 20_000;
        StreamExecutionEnvironment env = Jobs.batch(2);
        FailureInjector<String> failures = FailureInjector.plan().onAnySubtask().atRecord(3_000).atRecord(6_000).build();
        Jobs.records(env, count, 0)
                .map(failures)
                .sinkTo(FileSink.forRowFormat(new Path(out.toUri()), new SimpleStringEncoder<String>())
                        .withBucketAssigner(new ModuloBucketAssigner(5))
                        .withRollingPolicy(DefaultRollingPolicy.builder().withMaxRecordCount(1_000).build())
                        .build());

        try (VisibleOutputWatcher watcher = VisibleOutputWatcher.ofFolder(out)) {
            env.execute("batch exactly-once with failures");
            assertThat(watcher.violations()).isEmpty();
        }
        assertThat(failures.fired()).as("injected failures that fired").isEqualTo(failures.planned());
        FinishedFiles.assertExactlyOnce(out, count);
    }

    @Test
    void boundedStreamingJobEndsWithEveryPartFileFinished() throws Exception {
        long count = 5_000;
        StreamExecutionEnvironment env = Jobs.streaming(2, 60_000);
        Jobs.records(env, count, 0)
                .sinkTo(FileSink.forRowFormat(new Path(out.toUri()), new SimpleStringEncoder<String>()).build());
        env.execute("bounded streaming");
        FinishedFiles.assertExactlyOnce(out, count);
    }
}
