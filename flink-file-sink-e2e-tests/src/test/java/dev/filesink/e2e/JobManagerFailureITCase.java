package dev.filesink.e2e;

import dev.filesink.e2e.cluster.LocalFlinkCluster;
import dev.filesink.e2e.junit.FlinkClusterExtension;
import dev.filesink.e2e.junit.SharedClusters;
import dev.filesink.testing.FinishedFiles;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scenario 4: the JobManager (and with it the cluster) is killed while the committer is committing a checkpoint with
 * many pending files; the cluster is started again and the job resumed from the latest retained checkpoint. The
 * commits of that checkpoint are replayed: files already committed are recognized, none is duplicated, overwritten
 * or lost.
 */
class JobManagerFailureITCase {

    private static final long RECORDS = 60_000;
    private static final int BUCKETS = 1_000;
    private static final Duration QUIET = Duration.ofMillis(400);
    /**
     * The resumed job replays the interrupted round and then only drains the rest of the input: it runs faster (what
     * it proves does not depend on its pace; it still commits several rounds), which saves about 10 s.
     */
    private static final long RESUMED_RATE = 12_000;

    @RegisterExtension
    static final FlinkClusterExtension FLINK = SharedClusters.oneTaskManager();

    @Test
    void jobManagerKilledWhileCommittingThenResumedFromLatestCheckpoint() throws Exception {
        LocalFlinkCluster cluster = FLINK.cluster();
        Path out = FLINK.newFolder("jm-kill");
        try (FinishedFilesGuard guard = new FinishedFilesGuard(out)) {
            String jobId = ClusterJobs.submit(cluster, 2, null, commitHeavyJob(out, 3_000));
            ClusterJobs.awaitProgress(cluster, jobId, 2, out);
            Await.until("all bucket folders", Duration.ofSeconds(30), () -> bucketFolders(out) == BUCKETS);

            int roundSize;
            int committedBeforeKill;
            int visibleBeforeRound;
            try (CommitRounds rounds = new CommitRounds(out)) {
                rounds.awaitQuiet(QUIET, Duration.ofSeconds(30));
                int before = LocalFolder.visibleFiles(out).size();
                rounds.awaitFinishedFile(Duration.ofSeconds(30));
                rounds.awaitQuiet(QUIET, Duration.ofSeconds(30));
                visibleBeforeRound = LocalFolder.visibleFiles(out).size();
                roundSize = visibleBeforeRound - before;

                rounds.awaitFinishedFile(Duration.ofSeconds(30));
                cluster.killAll();
                committedBeforeKill = LocalFolder.visibleFiles(out).size() - visibleBeforeRound;
            }
            System.out.printf("Killed the cluster after %d of about %d files of a commit round were committed%n",
                    committedBeforeKill, roundSize);
            // About 2 x 1,000 at full speed; fewer when the machine is busy, but always many.
            assertThat(roundSize).as("files of a full commit round").isGreaterThan(BUCKETS / 5);
            assertThat(committedBeforeKill).as("killed in the middle of a commit round of %d files", roundSize)
                    .isBetween(1, roundSize / 2);

            Path checkpoint = ClusterJobs.latestCheckpoint(cluster, jobId)
                    .orElseThrow(() -> new AssertionError("No retained checkpoint of job " + jobId));
            // Side by side, as the cluster first started: the TaskManager retries until the JobManager is up.
            cluster.startTaskManager();
            cluster.startJobManager();
            cluster.awaitTaskManagers(1);
            String resumed = ClusterJobs.submit(cluster, 2, checkpoint.toUri().toString(),
                    commitHeavyJob(out, RESUMED_RATE));
            ClusterJobs.awaitFinished(cluster, resumed, Duration.ofMinutes(3));
            int failovers = cluster.rest().failovers(resumed);
            if (failovers > 0) {
                // Not a loss of exactly-once (checked below), but worth seeing: a restored writer should not fail.
                System.out.printf("NOTE: the resumed job restarted %d time(s); first failure:%n%s%n",
                        failovers, cluster.rest().rootException(resumed));
            }
            assertThat(guard.violations()).isEmpty();
        }
        FinishedFiles.assertExactlyOnce(out, RECORDS);
    }

    /**
     * Every checkpoint rolls one file per bucket and subtask: about 2 x 1,000 pending files per commit round,
     * committed one at a time per committer, so a round lasts long enough to be interrupted.
     */
    private static ExampleJobArgs commitHeavyJob(Path out, long rate) {
        return ExampleJobArgs.create().destination(out.toUri())
                .records(RECORDS).rate(rate).checkpointInterval("2s").buckets(BUCKETS)
                .set("roll-on-checkpoint", true).set("commit-parallelism", 1).set("write-buffer-size", "4kb");
    }

    private static long bucketFolders(Path out) {
        try (Stream<Path> dirs = Files.list(out)) {
            // Hidden folders (the writers' bucket journals) are not buckets.
            return dirs.filter(Files::isDirectory).filter(d -> !d.getFileName().toString().startsWith(".")).count();
        } catch (java.io.IOException e) {
            return 0;
        }
    }
}
