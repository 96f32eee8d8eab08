package dev.filesink.e2e;

import dev.filesink.e2e.cluster.CliResult;
import dev.filesink.e2e.cluster.LocalFlinkCluster;
import dev.filesink.e2e.junit.FlinkClusterExtension;
import dev.filesink.e2e.junit.SharedClusters;
import dev.filesink.testing.FinishedFiles;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scenario 2: stop with a savepoint at parallelism 2, resume from it at parallelism 3, stop with a savepoint again
 * and resume at parallelism 1 until the end: every record exactly once, in-progress files carried across.
 */
class SavepointRescaleITCase {

    private static final long RECORDS = 75_000;
    /**
     * The last job only drains the rest of the input: it runs faster (what it proves, taking over the open files and
     * finishing every record once, does not depend on its pace), which saves about 15 s.
     */
    private static final long DRAIN_RATE = 15_000;

    @RegisterExtension
    static final FlinkClusterExtension FLINK = SharedClusters.twoTaskManagers();

    @Test
    void stopWithSavepointAndResumeAtOtherParallelisms() throws Exception {
        LocalFlinkCluster cluster = FLINK.cluster();
        Path out = FLINK.newFolder("rescale");
        Path savepoints = FLINK.newFolder("savepoints");
        // Long rollover: part files stay in progress across the savepoints and are resumed by the new subtasks.
        ExampleJobArgs args = args(out, 3_000);

        try (FinishedFilesGuard guard = new FinishedFilesGuard(out)) {
            String first = ClusterJobs.submit(cluster, 2, null, args);
            ClusterJobs.awaitProgress(cluster, first, 2, out);
            assertThat(ClusterJobs.parallelism(cluster, first)).isEqualTo(2);
            String savepoint1 = stopWithSavepoint(cluster, first, savepoints);
            assertNoDuplicatesSoFar(out);

            String second = ClusterJobs.submit(cluster, 3, savepoint1, args);
            ClusterJobs.awaitProgress(cluster, second, 2, out);
            assertThat(ClusterJobs.parallelism(cluster, second)).isEqualTo(3);
            String savepoint2 = stopWithSavepoint(cluster, second, savepoints);
            assertNoDuplicatesSoFar(out);

            String third = ClusterJobs.submit(cluster, 1, savepoint2, args(out, DRAIN_RATE));
            assertThat(ClusterJobs.parallelism(cluster, third)).isEqualTo(1);
            ClusterJobs.awaitFinished(cluster, third, Duration.ofMinutes(3));
            assertThat(guard.violations()).isEmpty();
        }
        FinishedFiles.assertExactlyOnce(out, RECORDS);
    }

    private static ExampleJobArgs args(Path out, long rate) {
        return ExampleJobArgs.create().destination(out.toUri())
                .records(RECORDS).rate(rate).checkpointInterval("1s").buckets(3)
                .set("max-part-size", "128kb").set("rollover-interval", "60s");
    }

    private static String stopWithSavepoint(LocalFlinkCluster cluster, String jobId, Path savepoints) {
        CliResult stopped = cluster.cli().stopWithSavepoint(jobId, savepoints);
        assertThat(stopped.succeeded()).as("stop with savepoint:%n%s", stopped).isTrue();
        ClusterJobs.awaitFinished(cluster, jobId, Duration.ofMinutes(1));
        return stopped.savepointPath().orElseThrow(() -> new AssertionError("No savepoint path in:\n" + stopped));
    }

    /** Between the runs: whatever is finished holds no record twice (the rest is still in progress). */
    private static void assertNoDuplicatesSoFar(Path out) throws Exception {
        java.util.Set<Long> seen = new java.util.HashSet<>();
        for (Path file : LocalFolder.visibleFiles(out)) {
            for (String line : java.nio.file.Files.readAllLines(file)) {
                assertThat(seen.add(dev.filesink.testing.TestRecords.idOf(line))).as("record %s only once", line).isTrue();
            }
        }
        assertThat(seen).as("records finished so far").isNotEmpty();
    }
}
