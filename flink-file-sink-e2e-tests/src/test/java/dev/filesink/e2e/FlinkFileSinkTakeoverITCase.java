package dev.filesink.e2e;

import dev.filesink.e2e.cluster.CliResult;
import dev.filesink.e2e.cluster.LocalFlinkCluster;
import dev.filesink.e2e.junit.FlinkClusterExtension;
import dev.filesink.e2e.junit.SharedClusters;
import dev.filesink.testing.FinishedFiles;
import dev.filesink.testing.TestRecords;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Switching a running job from Flink's own FileSink to ours on a real standalone cluster, by Flink's CLI: a job jar
 * with Flink's sink writes into a local folder until it is stopped with a savepoint (or loses its TaskManager to
 * kill -9 and leaves a retained checkpoint) in the middle of its part files; the example job, with our sink under
 * the same uid, resumes from that state until its input ends. Every record exactly once in finished files, no
 * in-progress file left, no finished file ever changed.
 */
class FlinkFileSinkTakeoverITCase {

    private static final long RECORDS = 45_000;
    /**
     * Our job resumes Flink's state and then only drains the rest of the input: it runs faster (what it proves does
     * not depend on its pace; it still takes several checkpoints), which saves about 10 s per test.
     */
    private static final long RESUMED_RATE = 12_000;

    @RegisterExtension
    static final FlinkClusterExtension FLINK = SharedClusters.oneTaskManager();

    private static Path flinkSinkJar;

    @BeforeAll
    static void buildFlinkSinkJar() throws Exception {
        flinkSinkJar = FlinkFileSinkJobJar.build(
                FLINK.cluster().distribution().exampleJar(), FLINK.newFolder("jars").resolve("flink-filesink-job.jar"));
    }

    @Test
    void stopWithSavepointMidFileThenResumeWithOurSink() throws Exception {
        LocalFlinkCluster cluster = FLINK.cluster();
        Path out = FLINK.newFolder("takeover-savepoint");
        Path savepoints = FLINK.newFolder("takeover-savepoints");
        // Small, short-lived part files: Flink's sink has finished files and pending ones by the time it is stopped.
        try (FinishedFilesGuard guard = new FinishedFilesGuard(out)) {
            String flinkJob = submitWithFlinksSink(cluster, null, smallRollingFiles(out, 3_000));
            ClusterJobs.awaitProgress(cluster, flinkJob, 2, out);
            CliResult stopped = cluster.cli().stopWithSavepoint(flinkJob, savepoints);
            assertThat(stopped.succeeded()).as("stop with savepoint:%n%s", stopped).isTrue();
            ClusterJobs.awaitFinished(cluster, flinkJob, Duration.ofMinutes(1));
            String savepoint = stopped.savepointPath().orElseThrow(() -> new AssertionError("no savepoint in " + stopped));
            assertThat(FinishedFiles.hidden(out)).as("Flink's in-progress files at the savepoint").isNotEmpty();
            assertNoDuplicatesSoFar(out);

            String ourJob = ClusterJobs.submit(cluster, 2, savepoint, smallRollingFiles(out, RESUMED_RATE));
            ClusterJobs.awaitFinished(cluster, ourJob, Duration.ofMinutes(3));
            assertThat(guard.violations()).isEmpty();
        }
        FinishedFiles.assertExactlyOnce(out, RECORDS);
    }

    @Test
    void taskManagerKilledThenResumeWithOurSinkFromTheRetainedCheckpoint() throws Exception {
        LocalFlinkCluster cluster = FLINK.cluster();
        Path out = FLINK.newFolder("takeover-checkpoint");
        // Part files span the whole run (no rolling until the end), so every bucket has an in-progress file at every
        // checkpoint; Flink's job does not restart, it dies with its TaskManager.
        ExampleJobArgs flinkArgs = ExampleJobArgs.create().destination(out.toUri())
                .records(RECORDS).rate(3_000).checkpointInterval("1s").buckets(4)
                .set("max-part-size", "100mb").set("rollover-interval", "600s");

        try (FinishedFilesGuard guard = new FinishedFilesGuard(out)) {
            String flinkJob = submitWithFlinksSink(cluster, null, flinkArgs.set("restart-attempts", 0));
            Await.until("2 completed checkpoints of job " + flinkJob, Duration.ofSeconds(90),
                    () -> cluster.rest().completedCheckpoints(flinkJob) >= 2,
                    () -> "job " + cluster.rest().jobState(flinkJob));
            Thread.sleep(500); // records written after the last checkpoint, which the resumed files must not keep
            cluster.runningTaskManagers().get(0).kill();
            Await.until("job " + flinkJob + " to fail", Duration.ofMinutes(1),
                    () -> cluster.rest().jobState(flinkJob).equals("FAILED"), () -> cluster.rest().jobState(flinkJob));
            cluster.startTaskManager();
            Path checkpoint = ClusterJobs.latestCheckpoint(cluster, flinkJob)
                    .orElseThrow(() -> new AssertionError("no retained checkpoint of " + flinkJob));
            assertThat(FinishedFiles.hidden(out)).as("Flink's in-progress files").isNotEmpty();

            String ourJob = ClusterJobs.submit(cluster, 2, checkpoint.toUri().toString(),
                    smallRollingFiles(out, RESUMED_RATE));
            ClusterJobs.awaitFinished(cluster, ourJob, Duration.ofMinutes(3));
            assertThat(guard.violations()).isEmpty();
        }
        FinishedFiles.assertExactlyOnce(out, RECORDS);
    }

    /** Small, short-lived part files: several finish in every run. */
    private static ExampleJobArgs smallRollingFiles(Path out, long rate) {
        return ExampleJobArgs.create().destination(out.toUri())
                .records(RECORDS).rate(rate).checkpointInterval("1s").buckets(4)
                .set("max-part-size", "64kb").set("rollover-interval", "5s");
    }

    private static String submitWithFlinksSink(LocalFlinkCluster cluster, String savepoint, ExampleJobArgs args) {
        List<String> cli = new ArrayList<>(List.of("run", "-d", "-p", "2"));
        if (savepoint != null) {
            cli.addAll(List.of("-s", savepoint));
        }
        cli.addAll(List.of("-c", FlinkFileSinkJobJar.MAIN_CLASS, flinkSinkJar.toString()));
        cli.addAll(args.toList());
        CliResult submitted = cluster.cli().run(Duration.ofMinutes(2), cli);
        assertThat(submitted.succeeded()).as("submission failed:%n%s", submitted).isTrue();
        return submitted.jobId().orElseThrow(() -> new AssertionError("No job id in the CLI output:\n" + submitted));
    }

    /** Between the jobs: whatever is finished holds no record twice (the rest is still in progress). */
    private static void assertNoDuplicatesSoFar(Path out) throws Exception {
        Set<Long> seen = new HashSet<>();
        for (Path file : LocalFolder.visibleFiles(out)) {
            for (String line : Files.readAllLines(file)) {
                assertThat(seen.add(TestRecords.idOf(line))).as("record %s only once", line).isTrue();
            }
        }
        assertThat(seen).as("records finished by Flink's sink").isNotEmpty();
    }
}
