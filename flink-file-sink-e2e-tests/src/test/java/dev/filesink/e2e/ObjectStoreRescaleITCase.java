package dev.filesink.e2e;

import dev.filesink.e2e.cluster.CliResult;
import dev.filesink.e2e.cluster.FlinkProcess;
import dev.filesink.e2e.cluster.LocalFlinkCluster;
import dev.filesink.e2e.junit.FlinkClusterExtension;
import dev.filesink.e2e.junit.SharedClusters;
import dev.filesink.e2e.servers.AzuriteServer;
import dev.filesink.e2e.servers.S3TestServer;
import dev.filesink.testing.FinishedFiles;
import dev.filesink.testing.TestRecords;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scenario 6: rescaling jobs that write to object stores, through Flink's CLI on a real cluster. The job runs at
 * parallelism 2, then 3, then 1, with part files open across each switch: on S3 their multipart uploads and staged
 * tails (staging objects) travel in the state, on Azure their staged (uncommitted) block lists. Once through
 * {@code flink stop --savepointPath} and {@code flink run -s <savepoint>}, once through a kill -9 of the TaskManagers
 * (the job has no restarts and fails) and {@code flink run -s <latest retained checkpoint>}.
 */
class ObjectStoreRescaleITCase {

    private static final long RECORDS = 60_000;
    private static final int[] PARALLELISMS = {2, 3, 1};
    private static final long RATE = 3_000;
    /**
     * The last job only drains the rest of the input: it runs faster (what it proves, taking over the open part files
     * and finishing every record once, does not depend on its pace; it still takes several checkpoints), which saves
     * about 10 s per test.
     */
    private static final long DRAIN_RATE = 12_000;

    @RegisterExtension
    static final FlinkClusterExtension FLINK = SharedClusters.twoTaskManagers();

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
    void s3SavepointRescale() throws Exception {
        S3Destination s3 = new S3Destination("rescale-savepoint");
        rescale(s3, new ThroughSavepoints());
        s3.assertClean();
    }

    @Test
    void s3CheckpointRescaleAfterTaskManagerKill() throws Exception {
        S3Destination s3 = new S3Destination("rescale-checkpoint");
        rescale(s3, new ThroughTaskManagerKills());
        s3.assertClean();
    }

    @Test
    void azureSavepointRescale() throws Exception {
        AzureDestination azure = new AzureDestination("rescale-savepoint");
        rescale(azure, new ThroughSavepoints());
        azure.assertClean(false);
    }

    @Test
    void azureCheckpointRescaleAfterTaskManagerKill() throws Exception {
        AzureDestination azure = new AzureDestination("rescale-checkpoint");
        rescale(azure, new ThroughTaskManagerKills());
        azure.assertClean(true);
    }

    /** Runs the job at 2, 3 and 1 and checks every record exactly once at the end. */
    private static void rescale(Store store, Switch how) throws Exception {
        LocalFlinkCluster cluster = FLINK.cluster();
        try (FinishedFilesGuard guard = new FinishedFilesGuard(store.name(), store::finished)) {
            String resumeFrom = null;
            for (int phase = 0; phase < PARALLELISMS.length; phase++) {
                int parallelism = PARALLELISMS[phase];
                boolean last = phase == PARALLELISMS.length - 1;
                String jobId = ClusterJobs.submit(cluster, parallelism, resumeFrom,
                        args(store, how, last ? DRAIN_RATE : RATE));
                assertThat(ClusterJobs.parallelism(cluster, jobId)).isEqualTo(parallelism);
                if (last) {
                    ClusterJobs.awaitFinished(cluster, jobId, Duration.ofMinutes(3));
                    break;
                }
                int finishedBefore = store.finished().size();
                ClusterJobs.awaitProgress(cluster, jobId, 2, store.name(),
                        () -> store.finished().size() > finishedBefore);
                resumeFrom = how.switchOff(cluster, jobId);
                System.out.printf("[%s] parallelism %d -> %d from %s; in the store: %s%n", store.name(),
                        parallelism, PARALLELISMS[phase + 1], resumeFrom, store.inventory());
                store.assertOpenPartFilesInState(parallelism);
                store.assertNoDuplicatesSoFar();
            }
            assertThat(guard.violations()).isEmpty();
        }
        FinishedFiles.assertRecordsExactlyOnce(store.lines(), RECORDS);
    }

    /**
     * Long rollover and small parts: part files stay open across the switches; a few roll by size, so some files
     * finish in each phase.
     */
    private static ExampleJobArgs args(Store store, Switch how, long rate) {
        return store.args(ExampleJobArgs.create()
                .records(RECORDS).rate(rate).checkpointInterval("1s").buckets(3)
                .set("max-part-size", "192kb").set("rollover-interval", "60s")
                .set("restart-attempts", how.restartAttempts()));
    }

    // --------------------------------------------------------------------------------------------------------------
    // How the job is taken down between two parallelisms
    // --------------------------------------------------------------------------------------------------------------

    private interface Switch {
        int restartAttempts();

        /** Takes the job down and returns what to resume from. */
        String switchOff(LocalFlinkCluster cluster, String jobId) throws Exception;
    }

    private static final class ThroughSavepoints implements Switch {
        @Override
        public int restartAttempts() {
            return 10;
        }

        @Override
        public String switchOff(LocalFlinkCluster cluster, String jobId) throws Exception {
            CliResult stopped = cluster.cli().stopWithSavepoint(jobId, FLINK.newFolder("savepoints"));
            assertThat(stopped.succeeded()).as("stop with savepoint:%n%s", stopped).isTrue();
            ClusterJobs.awaitFinished(cluster, jobId, Duration.ofMinutes(1));
            return stopped.savepointPath().orElseThrow(() -> new AssertionError("No savepoint path in:\n" + stopped));
        }
    }

    /** Kills every TaskManager (-9); the job has no restarts left and fails; new TaskManagers are started. */
    private static final class ThroughTaskManagerKills implements Switch {
        @Override
        public int restartAttempts() {
            return 0;
        }

        @Override
        public String switchOff(LocalFlinkCluster cluster, String jobId) throws Exception {
            List<FlinkProcess> running = cluster.runningTaskManagers();
            running.forEach(FlinkProcess::signalKill);
            running.forEach(FlinkProcess::kill);
            // The new TaskManagers start while the job fails: it has no restarts left, so they cannot run it again.
            for (int i = 0; i < running.size(); i++) {
                cluster.startTaskManager();
            }
            Await.until("job " + jobId + " to fail", Duration.ofMinutes(1),
                    () -> cluster.rest().jobState(jobId).equals("FAILED"),
                    () -> "it is " + cluster.rest().jobState(jobId));
            cluster.awaitTaskManagers(running.size());
            Path checkpoint = ClusterJobs.latestCheckpoint(cluster, jobId)
                    .orElseThrow(() -> new AssertionError("No retained checkpoint of job " + jobId));
            return checkpoint.toUri().toString();
        }
    }

    // --------------------------------------------------------------------------------------------------------------
    // The two object stores, as the test sees them
    // --------------------------------------------------------------------------------------------------------------

    private interface Store {
        String name();

        ExampleJobArgs args(ExampleJobArgs args);

        java.util.Map<String, Long> finished();

        /** Part files begun and not committed: open multipart uploads (S3), blobs with staged blocks (Azure). */
        void assertOpenPartFilesInState(int parallelism);

        /** Finished, open and staged things in the store, for the log. */
        String inventory();

        List<String> lines();

        default void assertNoDuplicatesSoFar() {
            Set<Long> seen = new HashSet<>();
            for (String line : lines()) {
                assertThat(seen.add(TestRecords.idOf(line))).as("record %s only once in %s", line, name()).isTrue();
            }
            assertThat(seen).as("records finished so far").isNotEmpty();
        }
    }

    private static final class S3Destination implements Store {
        private static final String PREFIX = "out/";
        private final String bucket;

        S3Destination(String bucket) {
            this.bucket = bucket;
            s3.createBucket(bucket);
        }

        @Override
        public String name() {
            return "s3://" + bucket + "/out";
        }

        @Override
        public ExampleJobArgs args(ExampleJobArgs args) {
            // Every open file's tail goes into a staging object at each checkpoint and every file is a multipart
            // upload: both are then part of the state that the rescaled job must take over.
            return args.destination(name())
                    .set("filesink.s3.endpoint", s3.endpoint())
                    .set("filesink.s3.path-style-access", true)
                    .set("filesink.s3.checkpoint.inline-tail-limit", 0)
                    .set("filesink.s3.commit.single-put-limit", 0);
        }

        @Override
        public java.util.Map<String, Long> finished() {
            return s3.finishedObjects(bucket, PREFIX);
        }

        /** Every open part file is a multipart upload; those with a tail have a staging object. */
        @Override
        public void assertOpenPartFilesInState(int parallelism) {
            assertThat(s3.openUploads(bucket)).as("open multipart uploads at parallelism %d", parallelism).isNotEmpty();
            assertThat(s3.hiddenObjects(bucket, PREFIX)).as("staging objects at parallelism %d", parallelism).isNotEmpty();
        }

        @Override
        public String inventory() {
            return finished().size() + " finished objects, " + s3.openUploads(bucket).size() + " open uploads, "
                    + s3.hiddenObjects(bucket, PREFIX).size() + " staging objects";
        }

        @Override
        public List<String> lines() {
            return s3.lines(bucket, PREFIX);
        }

        void assertClean() {
            assertThat(s3.hiddenObjects(bucket, PREFIX)).as("staging objects left in %s", name()).isEmpty();
            assertThat(s3.openUploads(bucket)).as("multipart uploads left open in %s", name()).isEmpty();
            assertThat(s3.objects(bucket, "").keySet()).as("objects outside the destination")
                    .allSatisfy(key -> assertThat(key).startsWith(PREFIX));
        }
    }

    private static final class AzureDestination implements Store {
        private static final String PREFIX = "out/";
        private final String container;

        AzureDestination(String container) {
            this.container = container;
            azurite.createContainer(container);
        }

        @Override
        public String name() {
            return azurite.destination(container, "out");
        }

        @Override
        public ExampleJobArgs args(ExampleJobArgs args) {
            return args.destination(name());
        }

        @Override
        public java.util.Map<String, Long> finished() {
            return azurite.committedBlobs(container, PREFIX);
        }

        @Override
        public void assertOpenPartFilesInState(int parallelism) {
            assertThat(AzureLeftovers.stagedPartFiles(azurite, container, PREFIX))
                    .as("part files with staged blocks at parallelism %d", parallelism).isNotEmpty();
        }

        @Override
        public String inventory() {
            return finished().size() + " committed blobs, "
                    + AzureLeftovers.stagedPartFiles(azurite, container, PREFIX).size() + " part files with staged blocks";
        }

        @Override
        public List<String> lines() {
            return azurite.lines(container, PREFIX);
        }

        /**
         * After savepoints every open part file is taken over and committed: no part file may stay staged. After
         * kills, the failed attempts' files opened after the checkpoint stay as uncommitted-only blobs, which the
         * service discards by itself (docs/azure.md).
         */
        void assertClean(boolean expiringLeftoversAllowed) {
            AzureLeftovers.assertOnlyExpiringLeftovers(azurite, container, PREFIX, expiringLeftoversAllowed);
        }
    }
}
