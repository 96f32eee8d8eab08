package dev.filesink.limits;

import dev.filesink.FileSink;
import dev.filesink.it.ModuloBucketAssigner;
import dev.filesink.journal.JournalFiles;
import dev.filesink.rollingpolicies.OnCheckpointRollingPolicy;
import dev.filesink.testing.FailureInjector;
import dev.filesink.testing.FinishedFiles;
import dev.filesink.testing.Jobs;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.serialization.SimpleStringEncoder;
import org.apache.flink.core.fs.Path;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Restarts find the orphans of failed attempts through the writers' bucket journals, not by walking the base path:
 * a job over many buckets fails at records and during a checkpoint, every restart takes the journal path, and in
 * the end every record is in a finished file exactly once with nothing hidden left, journals included.
 */
class RestartCostITCase {

    private static final MetricsProbe METRICS = new MetricsProbe();

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setConfiguration(METRICS.configure(Jobs.restarting()))
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(4)
            .build());

    @TempDir java.nio.file.Path out;

    @Test
    void restartsDiscardEveryOrphanThroughTheBucketJournals() throws Exception {
        long count = 6_000;
        // History the restarts must not need to look at: finished files of earlier runs in many partitions.
        for (int i = 0; i < 200; i++) {
            java.nio.file.Path partition = Files.createDirectories(out.resolve("history/dt=" + i));
            Files.writeString(partition.resolve("part-old-" + i), "");
        }
        StreamExecutionEnvironment env = Jobs.streaming(2, 150);
        FailureInjector<String> failures = FailureInjector.plan()
                .atRecord(800)
                .duringCheckpoint(2)
                .atRecord(1_800)
                .build();
        Jobs.records(env, count, 3_000)
                .map(failures)
                .sinkTo(FileSink.forRowFormat(new Path(out.toUri()), new SimpleStringEncoder<String>())
                        // Every checkpoint rolls every bucket, so each attempt opens fresh files in all of them.
                        .withBucketAssigner(new ModuloBucketAssigner(40))
                        .withRollingPolicy(OnCheckpointRollingPolicy.build())
                        .build());

        JobID job = env.execute("restarts through bucket journals").getJobID();

        assertThat(failures.fired()).as("injected failures that fired").isEqualTo(failures.planned());
        assertThat(METRICS.count(job, "fileSink.orphanSearchesByFullWalk")).as("full walks").isZero();
        // Each failover restarts at least the failing subtask's writer (region failover), which searches once.
        assertThat(METRICS.count(job, "fileSink.orphanSearchesByJournal")).as("journal searches")
                .isGreaterThanOrEqualTo(failures.planned());
        assertThat(METRICS.count(job, "fileSink.orphansDiscarded")).as("orphans found through the journals")
                .isPositive();
        assertThat(METRICS.metrics(job, "fileSink.bucketJournalWrites"))
                .as("bucket ids appended to journals, per writer attempt")
                .anySatisfy(gauge -> assertThat(((Number) ((Gauge<?>) gauge).getValue()).longValue()).isPositive());

        try (var history = Files.walk(out.resolve("history"))) {
            assertThat(history.filter(Files::isRegularFile).count()).as("history untouched").isEqualTo(200);
        }
        FinishedFiles.assertRecordsExactlyOnce(FinishedFiles.lines(out), count);
        assertThat(FinishedFiles.hidden(out)).as("hidden files left, bucket journals included").isEmpty();
        assertThat(out.resolve(JournalFiles.DIRECTORY)).isEmptyDirectory();
    }
}
