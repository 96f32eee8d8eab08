package dev.filesink.e2e;

import dev.filesink.e2e.cluster.ClusterSpec;
import dev.filesink.e2e.cluster.FlinkProcess;
import dev.filesink.e2e.cluster.LocalFlinkCluster;
import dev.filesink.e2e.junit.FlinkClusterExtension;
import dev.filesink.e2e.junit.ZooKeeperExtension;
import dev.filesink.e2e.servers.AzuriteServer;
import dev.filesink.e2e.servers.S3TestServer;
import dev.filesink.testing.FinishedFiles;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scenario 5: JobManager high availability. A standalone cluster with ZooKeeper HA (a real ZooKeeper on loopback) and
 * two JobManagers; the leader is killed with SIGKILL while the committer commits a checkpoint's files, the standby
 * takes the leadership over and recovers the job from ZooKeeper and the HA storage by itself (nobody resubmits it),
 * and the job finishes with every record exactly once. Once each to a local folder, S3 and Azure; before each test a
 * fresh standby is started, so every test kills a leader with a standby waiting.
 */
class JobManagerHaFailoverITCase {

    private static final long RECORDS = 45_000;
    private static final Duration TAKEOVER_TIMEOUT = Duration.ofSeconds(60);

    @RegisterExtension
    @Order(1)
    static final ZooKeeperExtension ZOOKEEPER = new ZooKeeperExtension();

    @RegisterExtension
    @Order(2)
    static final FlinkClusterExtension FLINK = new FlinkClusterExtension(ClusterSpec.create()
            .zooKeeperHighAvailability(ZOOKEEPER::quorum, 2)
            .taskManagers(1).slotsPerTaskManager(2)
            .environment(S3TestServer.credentialsEnvironment())
            .set("filesink.azure.secret.account-key", AzuriteServer.KEY));

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

    /**
     * Every test kills a leader: make sure a standby is waiting (the previous test launched it when its job
     * finished, so that it boots while that test reads the output).
     */
    @BeforeEach
    void standbyWaiting() throws Exception {
        LocalFlinkCluster cluster = FLINK.cluster();
        if (cluster.runningJobManagers().size() < 2) {
            cluster.launchJobManager();
        }
        cluster.runningJobManagers().forEach(cluster::awaitRestApi);
        assertThat(cluster.runningJobManagers()).hasSize(2);
        assertThat(cluster.leaderJobManager()).as("a leading JobManager").isPresent();
    }

    /**
     * Only the leader dies: the TaskManager goes on running the committer until it learns of the lost leadership
     * (after ZooKeeper's session timeout), so the round usually completes in the old attempt and the new leader's
     * attempt replays commits that are already done.
     */
    @Test
    void localFolderSurvivesLeaderKillDuringCommit() throws Exception {
        runLocalThroughLeaderKill("ha-local", false);
    }

    /**
     * The leader and the TaskManager die together in the middle of a round: the round really stays half done, a new
     * TaskManager registers with the standby, which recovers the job and replays the rest of the round.
     */
    @Test
    void localFolderSurvivesLeaderAndTaskManagerKillDuringCommit() throws Exception {
        runLocalThroughLeaderKill("ha-local-with-tm", true);
    }

    private static void runLocalThroughLeaderKill(String label, boolean alsoTaskManager) throws Exception {
        LocalFlinkCluster cluster = FLINK.cluster();
        Path out = FLINK.newFolder(label);
        // Local renames are fast: about 2 x 1,000 files per round make it last long enough to be cut.
        int buckets = 1_000;
        ExampleJobArgs args = commitHeavyJob(out.toUri(), buckets);
        try (FinishedFilesGuard guard = new FinishedFilesGuard(out)) {
            String jobId = ClusterJobs.submit(cluster, 2, null, args);
            ClusterJobs.awaitProgress(cluster, jobId, 2, out);
            Await.until("all bucket folders", Duration.ofSeconds(30), () -> bucketFolders(out) == buckets);
            int roundSize;
            int committedBeforeKill;
            Killed killed;
            try (CommitRounds rounds = new CommitRounds(out)) {
                Duration quiet = Duration.ofMillis(400);
                rounds.awaitQuiet(quiet, Duration.ofSeconds(30));
                int before = LocalFolder.visibleFiles(out).size();
                rounds.awaitFinishedFile(Duration.ofSeconds(30));
                rounds.awaitQuiet(quiet, Duration.ofSeconds(30));
                int visibleBeforeRound = LocalFolder.visibleFiles(out).size();
                roundSize = visibleBeforeRound - before;
                Victims victims = Victims.of(cluster, alsoTaskManager);
                rounds.awaitFinishedFile(Duration.ofSeconds(30));
                killed = victims.kill(cluster, jobId);
                committedBeforeKill = LocalFolder.visibleFiles(out).size() - visibleBeforeRound;
            }
            System.out.printf("[%s] killed when %d of about %d files of a commit round were visible%s%n", label,
                    committedBeforeKill, roundSize, alsoTaskManager ? "" : " (listed after the kill; the TaskManager goes on)");
            assertThat(roundSize).as("files of a full commit round").isGreaterThan(buckets / 5);
            assertThat(committedBeforeKill).as("killed after a commit round began").isGreaterThanOrEqualTo(1);
            if (alsoTaskManager) {
                assertThat(committedBeforeKill).as("killed within a commit round of about %d files", roundSize)
                        .isLessThan(roundSize);
                cluster.startTaskManager();
            }
            FlinkProcess newLeader = killed.awaitTakeover(cluster);
            awaitRecoveredAndFinished(cluster, jobId, newLeader, killed);
            assertThat(guard.violations()).isEmpty();
        }
        FinishedFiles.assertExactlyOnce(out, RECORDS);
        assertThat(LocalFolder.hiddenFiles(out)).as("in-progress or pending files left").isEmpty();
    }

    @Test
    void s3BucketSurvivesLeaderKillDuringCommit() throws Exception {
        LocalFlinkCluster cluster = FLINK.cluster();
        String bucket = "ha-failover";
        String prefix = "out/";
        s3.createBucket(bucket);
        String destination = "s3://" + bucket + "/out";
        ExampleJobArgs args = commitHeavyJob(destination, 150)
                .set("filesink.s3.endpoint", s3.endpoint())
                .set("filesink.s3.path-style-access", true);
        try (FinishedFilesGuard guard = new FinishedFilesGuard(destination, () -> s3.finishedObjects(bucket, prefix))) {
            String jobId = ClusterJobs.submit(cluster, 2, null, args);
            ClusterJobs.awaitProgress(cluster, jobId, 2, destination, () -> !s3.finishedObjects(bucket, prefix).isEmpty());
            Killed killed = killLeaderWhenCommitRoundStarts(cluster, jobId, "ha-s3",
                    () -> s3.finishedObjects(bucket, prefix).size());
            FlinkProcess newLeader = killed.awaitTakeover(cluster);
            awaitRecoveredAndFinished(cluster, jobId, newLeader, killed);
            assertThat(guard.violations()).isEmpty();
        }
        FinishedFiles.assertRecordsExactlyOnce(s3.lines(bucket, prefix), RECORDS);
        assertThat(s3.hiddenObjects(bucket, prefix)).as("staging objects left").isEmpty();
        assertThat(s3.openUploads(bucket)).as("multipart uploads left open").isEmpty();
        assertThat(s3.objects(bucket, "")).as("objects outside the destination").allSatisfy(
                (key, size) -> assertThat(key).startsWith(prefix));
    }

    @Test
    void azureContainerSurvivesLeaderKillDuringCommit() throws Exception {
        LocalFlinkCluster cluster = FLINK.cluster();
        String container = "ha-failover";
        String prefix = "out/";
        azurite.createContainer(container);
        String destination = azurite.destination(container, "out");
        // Half the buckets of S3: Azurite commits a blob at a time, so rounds of about 150 blobs still last seconds,
        // and the job's output of about 1,000 blobs is listed and read back in half the time.
        ExampleJobArgs args = commitHeavyJob(destination, 75);
        // A listing of up to 1,000 blobs every 500 ms rather than 50 ms: back-to-back listings kept Azurite (one
        // thread) busy and slowed the job's commits. Azure commits a blob atomically (commit block list), so there is
        // no partly visible blob to miss between two listings; an overwritten or deleted blob stays changed.
        try (FinishedFilesGuard guard = new FinishedFilesGuard(destination, () -> azurite.committedBlobs(container, prefix),
                Duration.ofMillis(500))) {
            String jobId = ClusterJobs.submit(cluster, 2, null, args);
            ClusterJobs.awaitProgress(cluster, jobId, 2, destination,
                    () -> !azurite.committedBlobs(container, prefix).isEmpty());
            Killed killed = killLeaderWhenCommitRoundStarts(cluster, jobId, "ha-azure",
                    () -> azurite.committedBlobs(container, prefix).size());
            FlinkProcess newLeader = killed.awaitTakeover(cluster);
            awaitRecoveredAndFinished(cluster, jobId, newLeader, killed);
            assertThat(guard.violations()).isEmpty();
        }
        FinishedFiles.assertRecordsExactlyOnce(azurite.lines(container, prefix), RECORDS);
        AzureLeftovers.assertOnlyExpiringLeftovers(azurite, container, prefix, true);
    }

    /** Rolls every part file on each checkpoint into many buckets: each checkpoint commits hundreds of files. */
    private static ExampleJobArgs commitHeavyJob(Object destination, int buckets) {
        return ExampleJobArgs.create().destination(destination)
                .records(RECORDS).rate(3_000).checkpointInterval("2s").buckets(buckets)
                .set("roll-on-checkpoint", true).set("commit-parallelism", 1).set("write-buffer-size", "4kb");
    }

    /**
     * Object stores have no inotify: a commit round starts the moment a checkpoint completes. At two completed
     * checkpoints in a row the test counts the finished objects (the difference is one round), then polls the
     * listing and kills the leader as soon as the first object of the round that has just begun is visible.
     */
    private static Killed killLeaderWhenCommitRoundStarts(LocalFlinkCluster cluster, String jobId, String label,
            IntSupplier finished) {
        int atFirst = finishedAtNextCheckpoint(cluster, jobId, finished);
        int baseline = finishedAtNextCheckpoint(cluster, jobId, finished);
        int roundSize = baseline - atFirst; // the previous round; this one has just begun
        Await.until("the first object of a commit round", Duration.ofSeconds(20), () -> finished.getAsInt() > baseline);
        Killed killed = Victims.of(cluster, false).kill(cluster, jobId);
        int committedBeforeKill = finished.getAsInt() - baseline;
        System.out.printf("[%s] leader killed when %d of about %d objects of a commit round were visible%n",
                label, committedBeforeKill, roundSize);
        assertThat(roundSize).as("objects of a full commit round").isGreaterThan(50);
        assertThat(committedBeforeKill).as("killed within a commit round of about %d objects", roundSize)
                .isBetween(1, roundSize - 1);
        return killed;
    }

    /** Waits for the job's next completed checkpoint and returns how many objects are finished at that moment. */
    private static int finishedAtNextCheckpoint(LocalFlinkCluster cluster, String jobId, IntSupplier finished) {
        int checkpoints = cluster.rest().completedCheckpoints(jobId);
        Await.until("the next completed checkpoint of " + jobId, Duration.ofSeconds(30),
                () -> cluster.rest().completedCheckpoints(jobId) > checkpoints);
        return finished.getAsInt();
    }

    /**
     * The leading JobManager (and the TaskManagers, if asked), looked up before the moment to kill comes, so that the
     * kill itself costs no time.
     */
    private record Victims(FlinkProcess leader, List<FlinkProcess> all) {
        static Victims of(LocalFlinkCluster cluster, boolean alsoTaskManagers) {
            FlinkProcess leader = cluster.leaderJobManager().orElseThrow(() -> new AssertionError("No leader"));
            List<FlinkProcess> all = new ArrayList<>(List.of(leader));
            if (alsoTaskManagers) {
                all.addAll(cluster.runningTaskManagers());
            }
            return new Victims(leader, all);
        }

        /**
         * kill -9 of all at once. The job's latest retained checkpoint then is the one whose commit round was under
         * way (no checkpoint completes without a leader), which the new leader must restore.
         */
        Killed kill(LocalFlinkCluster cluster, String jobId) {
            long start = System.nanoTime();
            all.forEach(FlinkProcess::signalKill);
            all.forEach(FlinkProcess::kill);
            long checkpoint = latestCheckpointId(cluster, jobId);
            return new Killed(leader, checkpoint, start);
        }
    }

    private static long latestCheckpointId(LocalFlinkCluster cluster, String jobId) {
        try {
            return ClusterJobs.latestCheckpoint(cluster, jobId)
                    .map(dir -> Long.parseLong(dir.getFileName().toString().substring("chk-".length())))
                    .orElseThrow(() -> new AssertionError("No retained checkpoint of job " + jobId));
        } catch (Exception e) {
            throw new AssertionError("Cannot list the checkpoints of job " + jobId, e);
        }
    }

    private record Killed(FlinkProcess leader, long checkpointInCommit, long nanoTime) {
        /** Waits until the standby leads (ZooKeeper's session of the dead leader expires first). */
        FlinkProcess awaitTakeover(LocalFlinkCluster cluster) {
            FlinkProcess newLeader = cluster.awaitNewLeader(leader, TAKEOVER_TIMEOUT);
            System.out.printf("Killed %s (-9); %s leads after %d ms%n", leader, newLeader,
                    Duration.ofNanos(System.nanoTime() - nanoTime).toMillis());
            return newLeader;
        }
    }

    /** The same job id, recovered by the new leader from ZooKeeper, runs to its end: nobody resubmits it. */
    private static void awaitRecoveredAndFinished(LocalFlinkCluster cluster, String jobId, FlinkProcess newLeader,
            Killed killed) throws java.io.IOException {
        long start = System.nanoTime();
        ClusterJobs.awaitFinished(cluster, jobId, Duration.ofMinutes(4));
        cluster.launchJobManager(); // the next test's standby
        String log = Files.readString(newLeader.log());
        assertThat(log).as("the new leader's log").contains("Trying to recover job with job id " + jobId);
        java.util.regex.Matcher restored = java.util.regex.Pattern
                .compile("Restoring job " + jobId + " from Checkpoint (\\d+)").matcher(log);
        assertThat(restored.find()).as("the new leader restored job %s from a checkpoint", jobId).isTrue();
        assertThat(Long.parseLong(restored.group(1))).as("restored the checkpoint whose commit round was under way")
                .isEqualTo(killed.checkpointInCommit());
        System.out.printf("Job %s recovered by %s from checkpoint %s, finished %d s after the takeover%n", jobId,
                newLeader, restored.group(1), Duration.ofNanos(System.nanoTime() - start).toSeconds());
    }

    private static long bucketFolders(Path out) {
        try (Stream<Path> dirs = Files.list(out)) {
            return dirs.filter(Files::isDirectory).filter(d -> !d.getFileName().toString().startsWith(".")).count();
        } catch (java.io.IOException e) {
            return 0;
        }
    }
}
