package dev.filesink.it;

import dev.filesink.FileSink;
import dev.filesink.testing.CompletedCheckpoints;
import dev.filesink.testing.FinishedFiles;
import dev.filesink.testing.Jobs;

import org.apache.flink.api.common.JobID;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A job writing with Flink's own FileSink is stopped with a savepoint (or dies with its task manager, leaving a
 * retained checkpoint) in the middle of its part files; the same job with only the sink switched to ours resumes
 * from that state until its input ends: every record exactly once, Flink's in-progress files resumed (or committed
 * as they are), nothing unfinished left behind.
 */
class FlinkFileSinkTakeoverITCase {

    private static final long RECORDS = 30_000;
    private static final String SINK_UID = "file-sink";

    @TempDir java.nio.file.Path out;
    @TempDir java.nio.file.Path savepoints;
    @TempDir java.nio.file.Path checkpoints;

    @Test
    void ourSinkResumesFromASavepointOfFlinksFileSinkAtAnotherParallelism() throws Exception {
        try (MiniCluster cluster = startCluster()) {
            JobID flinkJob = cluster.submitJob(job(flinkSink(), 2, null, Jobs.restarting())).get().getJobID();
            // Several checkpoints and thousands of records into files that span them.
            CompletedCheckpoints.await(cluster, flinkJob, 4, Duration.ofMinutes(1));
            String savepoint = cluster.stopWithSavepoint(
                    flinkJob, savepoints.toUri().toString(), false, SavepointFormatType.CANONICAL).get();
            assertThat(FinishedFiles.hidden(out)).as("Flink's sink stopped in the middle of its part files").isNotEmpty();
            long finishedByFlink = FinishedFiles.lines(out).size();

            // At parallelism 1: the one subtask receives two in-progress files of every bucket (one from each of
            // Flink's subtasks), resumes one and commits the other as it is.
            JobID ourJob = cluster.submitJob(job(ourSink(), 1, savepoint, Jobs.restarting())).get().getJobID();
            JobResult result = cluster.requestJobResult(ourJob).get();
            assertThat(result.isSuccess()).as("job result %s", result.getSerializedThrowable()).isTrue();
            assertThat(finishedByFlink).isLessThan(RECORDS);
        }
        FinishedFiles.assertExactlyOnce(out, RECORDS);
    }

    @Test
    void ourSinkResumesFromARetainedCheckpointOfFlinksFileSinkAfterATaskManagerDied() throws Exception {
        Configuration noRestarts = new Configuration();
        noRestarts.setString("restart-strategy.type", "none");
        noRestarts.setString("execution.checkpointing.dir", checkpoints.toUri().toString());
        noRestarts.setString("execution.checkpointing.externalized-checkpoint-retention", "RETAIN_ON_CANCELLATION");
        try (MiniCluster cluster = startCluster()) {
            JobID flinkJob = cluster.submitJob(job(flinkSink(), 2, null, noRestarts)).get().getJobID();
            // A retained checkpoint to resume from, then records written after it that the resumed files must not keep.
            CompletedCheckpoints.await(cluster, flinkJob, 4, Duration.ofMinutes(1));
            // Kill once Flink's sink has opened files after a checkpoint (more hidden files than the eight a
            // checkpoint holds), not after a fixed time: under load a fixed pause may see none opened yet.
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (FinishedFiles.hidden(out).size() <= 8 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            cluster.terminateTaskManager(0).get();
            JobResult died = cluster.requestJobResult(flinkJob).get();
            assertThat(died.isSuccess()).isFalse();
            cluster.startTaskManager();
            java.nio.file.Path checkpoint = latestCheckpoint(flinkJob);
            // Two writers with four buckets each had eight in-progress files at the checkpoint; the rest are files
            // Flink opened after it (orphans) or pending files of the checkpoint not committed before the crash.
            assertThat(FinishedFiles.hidden(out)).as("hidden files Flink's sink left").hasSizeGreaterThan(8);

            JobID ourJob = cluster.submitJob(job(ourSink(), 2, checkpoint.toUri().toString(), Jobs.restarting()))
                    .get().getJobID();
            JobResult result = cluster.requestJobResult(ourJob).get();
            assertThat(result.isSuccess()).as("job result %s", result.getSerializedThrowable()).isTrue();
        }
        // Flink's files opened after the checkpoint are discarded; those it had persisted are resumed and committed.
        FinishedFiles.assertExactlyOnce(out, RECORDS);
    }

    private static MiniCluster startCluster() throws Exception {
        Configuration conf = Jobs.restarting();
        conf.set(RestOptions.BIND_PORT, "0"); // any free port: other clusters may run on this machine
        MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder()
                .setConfiguration(conf)
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(4)
                .build());
        cluster.start();
        return cluster;
    }

    /**
     * Small part files that roll only when a record finds them full, never on a checkpoint: every bucket holds an
     * in-progress file at every checkpoint, and new files open between checkpoints.
     */
    private static RollingPolicy<String, String> rollingPolicy() {
        return new RollingPolicy<>() {
            @Override
            public boolean shouldRollOnCheckpoint(PartFileInfo<String> file) {
                return false;
            }

            @Override
            public boolean shouldRollOnEvent(PartFileInfo<String> file, String element) throws IOException {
                return file.getSize() >= 16 * 1024;
            }

            @Override
            public boolean shouldRollOnProcessingTime(PartFileInfo<String> file, long currentTime) {
                return false;
            }
        };
    }

    private Sink<String> flinkSink() {
        return org.apache.flink.connector.file.sink.FileSink
                .forRowFormat(new Path(out.toUri()), new SimpleStringEncoder<String>())
                .withBucketAssigner(new ModuloBucketAssigner(4))
                .withRollingPolicy(rollingPolicy())
                .build();
    }

    private Sink<String> ourSink() {
        return FileSink.forRowFormat(new Path(out.toUri()), new SimpleStringEncoder<String>())
                .withBucketAssigner(new ModuloBucketAssigner(4))
                .withRollingPolicy(rollingPolicy())
                .build();
    }

    private static StreamGraph job(Sink<String> sink, int parallelism, String restoreFrom, Configuration conf) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(parallelism);
        env.setMaxParallelism(12);
        env.enableCheckpointing(300);
        Jobs.records(env, RECORDS, 5_000).uid("records").sinkTo(sink).uid(SINK_UID);
        StreamGraph graph = env.getStreamGraph();
        graph.setJobId(new JobID());
        graph.setSavepointRestoreSettings(restoreFrom == null
                ? SavepointRestoreSettings.none()
                : SavepointRestoreSettings.forPath(restoreFrom));
        return graph;
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
