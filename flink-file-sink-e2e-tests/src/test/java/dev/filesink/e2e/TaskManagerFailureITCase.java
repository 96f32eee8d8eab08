package dev.filesink.e2e;

import dev.filesink.e2e.cluster.ClusterSpec;
import dev.filesink.e2e.cluster.LocalFlinkCluster;
import dev.filesink.e2e.junit.FlinkClusterExtension;
import dev.filesink.testing.FinishedFiles;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scenario 1: a STREAMING job loses its only TaskManager to kill -9 after some checkpoints; a new TaskManager starts,
 * the job restarts from its last checkpoint and finishes with every record exactly once in finished files.
 */
class TaskManagerFailureITCase {

    private static final long RECORDS = 60_000;

    @RegisterExtension
    static final FlinkClusterExtension FLINK =
            new FlinkClusterExtension(ClusterSpec.create().taskManagers(1).slotsPerTaskManager(2));

    @Test
    void localFolderSurvivesTaskManagerKill() throws Exception {
        Path out = FLINK.newFolder("tm-kill-local");
        try (FinishedFilesGuard guard = new FinishedFilesGuard(out)) {
            runThroughTaskManagerKill(ExampleJobArgs.create().destination(out.toUri()), out);
            assertThat(guard.violations()).isEmpty();
        }
        FinishedFiles.assertExactlyOnce(out, RECORDS);
    }

    /** Submits, waits for checkpoints and finished files, kills the TaskManager running the job, starts a new one. */
    private static void runThroughTaskManagerKill(ExampleJobArgs args, Path progressFolder) throws Exception {
        LocalFlinkCluster cluster = FLINK.cluster();
        String jobId = ClusterJobs.submit(cluster, 2, null, args
                .records(RECORDS).rate(3_000).checkpointInterval("1s").buckets(4)
                .set("max-part-size", "64kb").set("rollover-interval", "5s"));
        ClusterJobs.awaitProgress(cluster, jobId, 2, progressFolder);

        cluster.runningTaskManagers().get(0).kill();
        cluster.startTaskManager();

        ClusterJobs.awaitFinished(cluster, jobId, Duration.ofMinutes(3));
        assertThat(cluster.rest().failovers(jobId)).as("restarts after the TaskManager was killed").isGreaterThanOrEqualTo(1);
    }
}
