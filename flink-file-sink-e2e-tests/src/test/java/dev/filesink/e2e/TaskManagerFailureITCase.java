package dev.filesink.e2e;

import dev.filesink.e2e.cluster.LocalFlinkCluster;
import dev.filesink.e2e.junit.FlinkClusterExtension;
import dev.filesink.e2e.junit.SharedClusters;
import dev.filesink.e2e.servers.AzuriteServer;
import dev.filesink.e2e.servers.S3TestServer;
import dev.filesink.testing.FinishedFiles;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scenario 1: a STREAMING job loses its only TaskManager to kill -9 after some checkpoints; a new TaskManager starts,
 * the job restarts from its last checkpoint and finishes with every record exactly once in finished files. Once for
 * each destination: a local folder, S3 (s3proxy on loopback) and Azure Blob Storage (Azurite).
 */
class TaskManagerFailureITCase {

    private static final long RECORDS = 45_000;

    @RegisterExtension
    static final FlinkClusterExtension FLINK = SharedClusters.oneTaskManager();

    private static S3TestServer s3;
    private static AzuriteServer azurite;

    @BeforeAll
    static void startServers() throws Exception {
        s3 = S3TestServer.start();
        azurite = AzuriteServer.start(FLINK.cluster().logDir());
    }

    @AfterAll
    static void stopServers() throws Exception {
        if (s3 != null) {
            s3.close();
        }
        if (azurite != null) {
            azurite.close();
        }
    }

    @Test
    void localFolderSurvivesTaskManagerKill() throws Exception {
        Path out = FLINK.newFolder("tm-kill-local");
        try (FinishedFilesGuard guard = new FinishedFilesGuard(out)) {
            runThroughTaskManagerKill(ExampleJobArgs.create().destination(out.toUri()), out.toString(),
                    () -> !LocalFolder.visibleFiles(out).isEmpty());
            assertThat(guard.violations()).isEmpty();
        }
        FinishedFiles.assertExactlyOnce(out, RECORDS);
    }

    @Test
    void s3BucketSurvivesTaskManagerKill() throws Exception {
        String bucket = "tm-kill";
        String prefix = "out/";
        s3.createBucket(bucket);
        String destination = "s3://" + bucket + "/out";
        ExampleJobArgs args = ExampleJobArgs.create().destination(destination)
                .set("filesink.s3.endpoint", s3.endpoint())
                .set("filesink.s3.path-style-access", true);
        try (FinishedFilesGuard guard = new FinishedFilesGuard(destination, () -> s3.finishedObjects(bucket, prefix))) {
            runThroughTaskManagerKill(args, destination, () -> !s3.finishedObjects(bucket, prefix).isEmpty());
            assertThat(guard.violations()).isEmpty();
        }
        FinishedFiles.assertRecordsExactlyOnce(s3.lines(bucket, prefix), RECORDS);
        assertThat(s3.hiddenObjects(bucket, prefix)).as("staging objects left").isEmpty();
        assertThat(s3.openUploads(bucket)).as("multipart uploads left open").isEmpty();
    }

    @Test
    void azureContainerSurvivesTaskManagerKill() throws Exception {
        String container = "tm-kill";
        String prefix = "out/";
        azurite.createContainer(container);
        String destination = azurite.destination(container, "out");
        try (FinishedFilesGuard guard = new FinishedFilesGuard(destination, () -> azurite.committedBlobs(container, prefix))) {
            runThroughTaskManagerKill(ExampleJobArgs.create().destination(destination), destination,
                    () -> !azurite.committedBlobs(container, prefix).isEmpty());
            assertThat(guard.violations()).isEmpty();
        }
        FinishedFiles.assertRecordsExactlyOnce(azurite.lines(container, prefix), RECORDS);
    }

    /** Submits, waits for checkpoints and finished files, kills the TaskManager running the job, starts a new one. */
    private static void runThroughTaskManagerKill(ExampleJobArgs args, String destination, BooleanSupplier anyFinished)
            throws Exception {
        LocalFlinkCluster cluster = FLINK.cluster();
        String jobId = ClusterJobs.submit(cluster, 2, null, args
                .records(RECORDS).rate(3_000).checkpointInterval("1s").buckets(4)
                .set("max-part-size", "64kb").set("rollover-interval", "5s"));
        ClusterJobs.awaitProgress(cluster, jobId, 2, destination, anyFinished);

        cluster.runningTaskManagers().get(0).kill();
        cluster.startTaskManager();

        ClusterJobs.awaitFinished(cluster, jobId, Duration.ofMinutes(3));
        assertThat(cluster.rest().failovers(jobId)).as("restarts after the TaskManager was killed").isGreaterThanOrEqualTo(1);
    }
}
