package dev.filesink.s3.it;

import dev.filesink.FileSink;
import dev.filesink.it.ModuloBucketAssigner;
import dev.filesink.s3.S3Storage;
import dev.filesink.s3.testing.FlinkS3Plugin;
import dev.filesink.s3.testing.S3Server;
import dev.filesink.testing.FinishedFiles;
import dev.filesink.testing.Jobs;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.serialization.SimpleStringEncoder;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.core.fs.Path;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.filesystem.PartFileInfo;
import org.apache.flink.streaming.api.functions.sink.filesystem.RollingPolicy;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import software.amazon.awssdk.services.s3.model.MultipartUpload;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A job writing with Flink's own FileSink to S3 through Flink's S3 file system ({@code flink-s3-fs-hadoop}, loaded as
 * a plugin in this JVM) is stopped with a savepoint (or loses its task manager and leaves a retained checkpoint)
 * while its part files hold uploaded parts and tail objects; the same job with only the sink switched to ours (on
 * the same server, through the AWS SDK) resumes until its input ends. Every record exactly once, and the whole
 * bucket holds nothing but finished part files: no open upload, no tail object of Flink's, no staging object.
 */
class FlinkFileSinkS3TakeoverITCase {

    private static final long RECORDS = 160_000; // about 16 MB of records
    private static final String SINK_UID = "file-sink";
    private static S3Server server;
    private static FlinkS3Plugin flinkS3;

    @TempDir java.nio.file.Path savepoints;
    @TempDir java.nio.file.Path checkpoints;

    /** A bucket of its own per test, so that the whole bucket can be checked at the end. */
    private final String bucket = "takeover-" + UUID.randomUUID().toString().substring(0, 8);
    private final String prefix = "job";

    @BeforeAll
    static void start() throws Exception {
        server = S3Server.start();
        flinkS3 = FlinkS3Plugin.hadoopOn(server);
    }

    @AfterAll
    static void stop() throws Exception {
        flinkS3.close();
        server.close();
    }

    @BeforeEach
    void createBucket() {
        server.createBucket(bucket);
    }

    @Test
    void ourSinkResumesFromASavepointOfFlinksFileSinkOnS3() throws Exception {
        try (MiniCluster cluster = startCluster()) {
            JobID flinkJob = cluster.submitJob(job(flinkSink(), null, Jobs.restarting())).get().getJobID();
            awaitRunning(cluster, flinkJob);
            awaitUploadedPartsAndTails();
            String savepoint = cluster.stopWithSavepoint(
                    flinkJob, savepoints.toUri().toString(), false, SavepointFormatType.CANONICAL).get();
            assertThat(openUploads()).as("Flink's in-progress files at the savepoint").isNotEmpty();
            assertThat(flinkTails()).as("Flink's tail objects at the savepoint").isNotEmpty();

            JobID ourJob = cluster.submitJob(job(ourSink(), savepoint, Jobs.restarting())).get().getJobID();
            JobResult result = cluster.requestJobResult(ourJob).get();
            assertThat(result.isSuccess()).as("job result %s", result.getSerializedThrowable()).isTrue();
        }
        assertExactlyOnceAndNothingElse();
    }

    @Test
    void ourSinkResumesFromARetainedCheckpointOfFlinksFileSinkAfterATaskManagerDied() throws Exception {
        Configuration noRestarts = new Configuration();
        noRestarts.setString("restart-strategy.type", "none");
        noRestarts.setString("execution.checkpointing.dir", checkpoints.toUri().toString());
        noRestarts.setString("execution.checkpointing.externalized-checkpoint-retention", "RETAIN_ON_CANCELLATION");
        try (MiniCluster cluster = startCluster()) {
            JobID flinkJob = cluster.submitJob(job(flinkSink(), null, noRestarts)).get().getJobID();
            awaitRunning(cluster, flinkJob);
            awaitUploadedPartsAndTails();
            Thread.sleep(700); // past a checkpoint: Flink writes on, into files and persists no checkpoint names
            cluster.terminateTaskManager(0).get();
            assertThat(cluster.requestJobResult(flinkJob).get().isSuccess()).isFalse();
            cluster.startTaskManager();
            java.nio.file.Path checkpoint = latestCheckpoint(flinkJob);

            JobID ourJob = cluster.submitJob(job(ourSink(), checkpoint.toUri().toString(), Jobs.restarting()))
                    .get().getJobID();
            JobResult result = cluster.requestJobResult(ourJob).get();
            assertThat(result.isSuccess()).as("job result %s", result.getSerializedThrowable()).isTrue();
        }
        assertExactlyOnceAndNothingElse();
    }

    /** Every record exactly once in the final objects, and the whole bucket holds nothing else. */
    private void assertExactlyOnceAndNothingElse() {
        assertThat(server.client().listMultipartUploads(b -> b.bucket(bucket)).uploads())
                .as("multipart uploads left open").isEmpty();
        List<String> keys = server.keys(bucket, "");
        assertThat(keys).as("the whole bucket: finished part files only")
                .allMatch(key -> key.matches(prefix + "/bucket-[01]/part-[^/_]+-[0-9]+"), "a finished part file");
        List<String> lines = new ArrayList<>();
        for (String key : keys) {
            String content = server.read(bucket, key);
            assertThat(content).as("object %s ends with a whole record", key).endsWith("\n");
            lines.addAll(List.of(content.split("\n")));
        }
        FinishedFiles.assertRecordsExactlyOnce(lines, RECORDS);
    }

    /** Waits until Flink's sink has uploaded a part of an in-progress file and persisted a tail object. */
    private void awaitUploadedPartsAndTails() throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            boolean parts = false;
            for (MultipartUpload upload : openUploads()) {
                parts |= !server.client().listParts(b -> b.bucket(bucket).key(upload.key()).uploadId(upload.uploadId()))
                        .parts().isEmpty();
            }
            if (parts && !flinkTails().isEmpty()) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("Flink's sink uploaded no part within a minute");
    }

    private List<MultipartUpload> openUploads() {
        return server.openUploads(bucket, prefix + "/");
    }

    private List<String> flinkTails() {
        return server.keys(bucket, prefix + "/").stream().filter(key -> key.contains("_tmp_")).toList();
    }

    private static MiniCluster startCluster() throws Exception {
        Configuration conf = Jobs.restarting();
        conf.set(RestOptions.BIND_PORT, "0");
        MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder()
                .setConfiguration(conf)
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(2)
                .build());
        cluster.start();
        return cluster;
    }

    /**
     * Part files of 7 MB that roll only when a record finds them full, never on a checkpoint: they span checkpoints,
     * with a 5 MB part uploaded and the rest in a tail object.
     */
    private static RollingPolicy<String, String> rollingPolicy() {
        return new RollingPolicy<>() {
            @Override
            public boolean shouldRollOnCheckpoint(PartFileInfo<String> file) {
                return false;
            }

            @Override
            public boolean shouldRollOnEvent(PartFileInfo<String> file, String element) throws IOException {
                return file.getSize() >= 7 * 1024 * 1024;
            }

            @Override
            public boolean shouldRollOnProcessingTime(PartFileInfo<String> file, long currentTime) {
                return false;
            }
        };
    }

    private Path base() {
        return new Path("s3://" + bucket + "/" + prefix);
    }

    private Sink<String> flinkSink() {
        return org.apache.flink.connector.file.sink.FileSink
                .forRowFormat(base(), new SimpleStringEncoder<String>())
                .withBucketAssigner(new ModuloBucketAssigner(2))
                .withRollingPolicy(rollingPolicy())
                .build();
    }

    private Sink<String> ourSink() {
        return FileSink.forRowFormat(base(), new SimpleStringEncoder<String>())
                .withStorage(S3Storage.of(server.destination().build()))
                .withBucketAssigner(new ModuloBucketAssigner(2))
                .withRollingPolicy(rollingPolicy())
                .build();
    }

    private static StreamGraph job(Sink<String> sink, String restoreFrom, Configuration conf) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);
        env.setMaxParallelism(12);
        env.enableCheckpointing(400);
        Jobs.records(env, RECORDS, 16_000).uid("records").sinkTo(sink).uid(SINK_UID);
        StreamGraph graph = env.getStreamGraph();
        graph.setJobId(new JobID());
        graph.setSavepointRestoreSettings(restoreFrom == null
                ? SavepointRestoreSettings.none()
                : SavepointRestoreSettings.forPath(restoreFrom));
        return graph;
    }

    private static void awaitRunning(MiniCluster cluster, JobID job) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (cluster.getJobStatus(job).get() != JobStatus.RUNNING && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
    }

    private java.nio.file.Path latestCheckpoint(JobID job) throws Exception {
        try (Stream<java.nio.file.Path> dirs = Files.list(checkpoints.resolve(job.toHexString()))) {
            return dirs.filter(dir -> dir.getFileName().toString().matches("chk-\\d+"))
                    .filter(dir -> Files.isRegularFile(dir.resolve("_metadata")))
                    .max(Comparator.comparingLong(dir -> Long.parseLong(dir.getFileName().toString().substring(4))))
                    .orElseThrow(() -> new AssertionError("no retained checkpoint of " + job));
        }
    }
}
