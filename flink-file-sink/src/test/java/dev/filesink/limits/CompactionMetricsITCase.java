package dev.filesink.limits;

import dev.filesink.FileSink;
import dev.filesink.it.ModuloBucketAssigner;
import dev.filesink.rollingpolicies.DefaultRollingPolicy;
import dev.filesink.testing.FinishedFiles;
import dev.filesink.testing.Jobs;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.serialization.SimpleStringEncoder;
import org.apache.flink.connector.file.sink.compactor.ConcatFileCompactor;
import org.apache.flink.connector.file.sink.compactor.FileCompactStrategy;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.fs.Path;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

import static org.assertj.core.api.Assertions.assertThat;

/** The compaction metrics against what is on disk (BATCH, no failures: every bucket compacted once at the end). */
class CompactionMetricsITCase {

    private static final MetricsProbe METRICS = new MetricsProbe();

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setConfiguration(METRICS.configure(Jobs.restarting()))
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(4)
            .build());

    private static final long COUNT = 4_000;

    @TempDir java.nio.file.Path out;

    @Test
    void compactionMetricsMatchTheFilesWritten() throws Exception {
        StreamExecutionEnvironment env = Jobs.batch(2);
        Jobs.records(env, COUNT, 0).sinkTo(FileSink.forRowFormat(new Path(out.toUri()), new SimpleStringEncoder<String>())
                .withBucketAssigner(new ModuloBucketAssigner(4))
                .withRollingPolicy(DefaultRollingPolicy.builder().withMaxRecordCount(100).build())
                .enableCompact(FileCompactStrategy.Builder.newBuilder().enableCompactionOnCheckpoint(1).build(),
                        new ConcatFileCompactor())
                .build());

        JobClient client = env.executeAsync("compaction metrics");
        JobID job = client.getJobID();
        client.getJobExecutionResult().get();

        FinishedFiles.assertExactlyOnce(out, COUNT);
        long bytes = FinishedFiles.visible(out).stream().mapToLong(CompactionMetricsITCase::size).sum();
        long rolled = METRICS.count(job, "fileSink.partFilesRolled");
        assertThat(FinishedFiles.visible(out)).hasSize(4);
        assertThat(rolled).as("small files the writers rolled").isGreaterThanOrEqualTo(40);

        assertThat(METRICS.count(job, "fileSink.compaction.compactions")).isEqualTo(4);
        assertThat(METRICS.count(job, "fileSink.compaction.outputFiles")).isEqualTo(4);
        assertThat(METRICS.count(job, "fileSink.compaction.inputFiles")).isEqualTo(rolled);
        assertThat(METRICS.count(job, "fileSink.compaction.filesPassedThrough")).isZero();
        assertThat(METRICS.count(job, "fileSink.compaction.inputBytes")).isEqualTo(bytes);
        assertThat(METRICS.count(job, "fileSink.compaction.outputBytes")).isEqualTo(bytes);
        assertThat(METRICS.count(job, "fileSink.compaction.bytesThroughTaskManager")).isEqualTo(2 * bytes);
        assertThat(METRICS.count(job, "fileSink.partFilesCommitted")).as("only the compacted files").isEqualTo(4);
        assertThat(METRICS.count(job, "fileSink.bytesCommitted")).isEqualTo(bytes);
    }

    private static long size(java.nio.file.Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
