package dev.filesink.e2e;

import dev.filesink.e2e.cluster.CliResult;
import dev.filesink.e2e.cluster.ClusterSpec;
import dev.filesink.e2e.cluster.LocalFlinkCluster;
import dev.filesink.e2e.junit.FlinkClusterExtension;
import dev.filesink.e2e.servers.S3TestServer;
import dev.filesink.testing.FinishedFiles;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Switching a running job from Flink's own FileSink on S3 to ours on a real standalone cluster, by Flink's CLI. The
 * cluster loads Flink's S3 file system ({@code flink-s3-fs-hadoop}) from its plugins folder; Flink's sink writes to
 * s3proxy through it until it is stopped with a savepoint (or loses its TaskManager to kill -9 and leaves a retained
 * checkpoint) in the middle of its part files, which are then multipart uploads with tail objects. The example job,
 * with our S3 storage under the same uid, resumes from that state until its input ends. Every record exactly once,
 * and the whole bucket holds finished objects only: no open upload, no tail object, no staging object.
 */
class S3FlinkFileSinkTakeoverITCase {

    private static final long RECORDS = 60_000; // 30 s at 2,000 records a second: the savepoint comes long before the input ends
    /**
     * Our job resumes Flink's state and then only drains the rest of the input: it runs faster (what it proves does
     * not depend on its pace; it still takes several checkpoints), which saves about 20 s per test.
     */
    private static final long RESUMED_RATE = 10_000;
    private static final S3TestServer S3 = S3TestServer.startUnchecked();

    @RegisterExtension
    static final FlinkClusterExtension FLINK = new FlinkClusterExtension(flinkS3Plugin(
            ClusterSpec.create().taskManagers(1).slotsPerTaskManager(2)));

    private static Path flinkSinkJar;

    /** Flink's S3 file system as a plugin of every cluster process, pointed at the test server. */
    private static ClusterSpec flinkS3Plugin(ClusterSpec spec) {
        Map<String, String> environment = new HashMap<>(S3TestServer.credentialsEnvironment());
        environment.put("FLINK_PLUGINS_DIR", Path.of(System.getProperty("e2e.flink.plugins", "target/flink-plugins"))
                .toAbsolutePath().toString());
        return spec.environment(environment)
                .set("s3.endpoint", S3.endpoint())
                .set("s3.endpoint.region", "us-east-1")
                .set("s3.path.style.access", "true")
                .set("s3.access-key", S3TestServer.ACCESS_KEY)
                .set("s3.secret-key", S3TestServer.SECRET_KEY);
    }

    @BeforeAll
    static void buildFlinkSinkJar() throws Exception {
        flinkSinkJar = FlinkFileSinkJobJar.build(
                FLINK.cluster().distribution().exampleJar(), FLINK.newFolder("jars").resolve("flink-filesink-job.jar"));
    }

    @AfterAll
    static void stopServer() throws Exception {
        S3.close();
    }

    @Test
    void stopWithSavepointMidFileThenResumeWithOurSinkOnS3() throws Exception {
        LocalFlinkCluster cluster = FLINK.cluster();
        String bucket = "takeover-savepoint";
        S3.createBucket(bucket);
        String destination = "s3://" + bucket + "/out";
        Path savepoints = FLINK.newFolder("s3-takeover-savepoints");
        // Part files that span the run: at the savepoint every bucket has one in progress, with a tail object.
        ExampleJobArgs flinkArgs = ExampleJobArgs.create().destination(destination)
                .records(RECORDS).rate(2_000).checkpointInterval("1s").buckets(4)
                .set("max-part-size", "100mb").set("rollover-interval", "600s");

        String flinkJob = submitWithFlinksSink(cluster, flinkArgs);
        Await.until("2 completed checkpoints of job " + flinkJob, Duration.ofSeconds(90),
                () -> cluster.rest().completedCheckpoints(flinkJob) >= 2,
                () -> "job " + cluster.rest().jobState(flinkJob));
        CliResult stopped = cluster.cli().stopWithSavepoint(flinkJob, savepoints);
        assertThat(stopped.succeeded()).as("stop with savepoint:%n%s", stopped).isTrue();
        ClusterJobs.awaitFinished(cluster, flinkJob, Duration.ofMinutes(1));
        String savepoint = stopped.savepointPath().orElseThrow(() -> new AssertionError("no savepoint in " + stopped));
        assertThat(S3.openUploads(bucket)).as("Flink's in-progress files at the savepoint").isNotEmpty();
        assertThat(S3.hiddenObjects(bucket, "")).as("Flink's tail objects at the savepoint")
                .anyMatch(key -> key.contains("_tmp_"));

        String ourJob = ClusterJobs.submit(cluster, 2, savepoint, ourArgs(destination));
        ClusterJobs.awaitFinished(cluster, ourJob, Duration.ofMinutes(3));
        assertExactlyOnceAndNothingElse(bucket);
    }

    @Test
    void taskManagerKilledThenResumeWithOurSinkOnS3FromTheRetainedCheckpoint() throws Exception {
        LocalFlinkCluster cluster = FLINK.cluster();
        String bucket = "takeover-checkpoint";
        S3.createBucket(bucket);
        String destination = "s3://" + bucket + "/out";
        ExampleJobArgs flinkArgs = ExampleJobArgs.create().destination(destination)
                .records(RECORDS).rate(2_000).checkpointInterval("1s").buckets(4)
                .set("max-part-size", "100mb").set("rollover-interval", "600s").set("restart-attempts", 0);

        String flinkJob = submitWithFlinksSink(cluster, flinkArgs);
        Await.until("2 completed checkpoints of job " + flinkJob, Duration.ofSeconds(90),
                () -> cluster.rest().completedCheckpoints(flinkJob) >= 2,
                () -> "job " + cluster.rest().jobState(flinkJob));
        Thread.sleep(500); // records (and persists) after the last checkpoint, which the resumed files must not keep
        cluster.runningTaskManagers().get(0).kill();
        Await.until("job " + flinkJob + " to fail", Duration.ofMinutes(1),
                () -> cluster.rest().jobState(flinkJob).equals("FAILED"), () -> cluster.rest().jobState(flinkJob));
        cluster.startTaskManager();
        Path checkpoint = ClusterJobs.latestCheckpoint(cluster, flinkJob)
                .orElseThrow(() -> new AssertionError("no retained checkpoint of " + flinkJob));
        assertThat(S3.openUploads(bucket)).as("Flink's in-progress files").isNotEmpty();

        String ourJob = ClusterJobs.submit(cluster, 2, checkpoint.toUri().toString(), ourArgs(destination));
        ClusterJobs.awaitFinished(cluster, ourJob, Duration.ofMinutes(3));
        assertExactlyOnceAndNothingElse(bucket);
    }

    /** The example job with our S3 storage on the same server, rolling small files so that it commits several. */
    private static ExampleJobArgs ourArgs(String destination) {
        return ExampleJobArgs.create().destination(destination)
                .records(RECORDS).rate(RESUMED_RATE).checkpointInterval("1s").buckets(4)
                .set("max-part-size", "64kb").set("rollover-interval", "5s")
                .set("filesink.s3.endpoint", S3.endpoint())
                .set("filesink.s3.path-style-access", true);
    }

    private static void assertExactlyOnceAndNothingElse(String bucket) {
        FinishedFiles.assertRecordsExactlyOnce(S3.lines(bucket, "out/"), RECORDS);
        assertThat(S3.openUploads(bucket)).as("multipart uploads left open").isEmpty();
        assertThat(S3.hiddenObjects(bucket, "")).as("tail, staging or other hidden objects in the whole bucket").isEmpty();
        assertThat(S3.objects(bucket, "")).as("the whole bucket: finished part files below out/ only")
                .allSatisfy((key, size) -> assertThat(key).matches("out/.+/part-[^/]+\\.txt"));
    }

    private static String submitWithFlinksSink(LocalFlinkCluster cluster, ExampleJobArgs args) {
        List<String> cli = new ArrayList<>(List.of("run", "-d", "-p", "2", "-c", FlinkFileSinkJobJar.MAIN_CLASS,
                flinkSinkJar.toString()));
        cli.addAll(args.toList());
        CliResult submitted = cluster.cli().run(Duration.ofMinutes(2), cli);
        assertThat(submitted.succeeded()).as("submission failed:%n%s", submitted).isTrue();
        return submitted.jobId().orElseThrow(() -> new AssertionError("No job id in the CLI output:\n" + submitted));
    }
}
