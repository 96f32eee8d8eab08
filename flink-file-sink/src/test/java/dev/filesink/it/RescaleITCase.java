package dev.filesink.it;

import dev.filesink.FileSink;
import dev.filesink.rollingpolicies.DefaultRollingPolicy;
import dev.filesink.testing.CompletedCheckpoints;
import dev.filesink.testing.FinishedFiles;
import dev.filesink.testing.Jobs;
import dev.filesink.testing.VisibleOutputWatcher;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.serialization.SimpleStringEncoder;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.core.fs.Path;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stop with a savepoint at parallelism 2, resume at 3, stop again, resume at 1 until the input ends: every record
 * exactly once, in-progress files resumed or committed across the changes of parallelism.
 */
class RescaleITCase {

    private static final long RECORDS = 30_000;

    @TempDir java.nio.file.Path out;
    @TempDir java.nio.file.Path savepoints;

    @Test
    void savepointAtTwoRestoredAtThreeThenAtOne() throws Exception {
        MiniClusterConfiguration config = new MiniClusterConfiguration.Builder()
                .setConfiguration(Jobs.restarting())
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(4)
                .build();
        try (MiniCluster cluster = new MiniCluster(config);
                VisibleOutputWatcher watcher = VisibleOutputWatcher.ofFolder(out)) {
            cluster.start();

            JobID first = cluster.submitJob(job(2, null)).get().getJobID();
            String savepoint1 = stopAfterSomeRecords(cluster, first);

            JobID second = cluster.submitJob(job(3, savepoint1)).get().getJobID();
            String savepoint2 = stopAfterSomeRecords(cluster, second);

            JobID third = cluster.submitJob(job(1, savepoint2)).get().getJobID();
            JobResult result = cluster.requestJobResult(third).get();
            assertThat(result.isSuccess()).as("job result %s", result.getSerializedThrowable()).isTrue();

            assertThat(watcher.violations()).isEmpty();
        }
        FinishedFiles.assertExactlyOnce(out, RECORDS);
    }

    private StreamGraph job(int parallelism, String savepoint) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(parallelism);
        env.setMaxParallelism(12);
        env.enableCheckpointing(300);
        Jobs.records(env, RECORDS, 5_000)
                .uid("records")
                .sinkTo(FileSink.forRowFormat(new Path(out.toUri()), new SimpleStringEncoder<String>())
                        .withBucketAssigner(new ModuloBucketAssigner(4))
                        // Large files that span checkpoints, so the savepoints hold in-progress files.
                        .withRollingPolicy(DefaultRollingPolicy.builder()
                                .withMaxPartSize(256 * 1024)
                                .withRolloverInterval(Duration.ofMinutes(10))
                                .withInactivityInterval(Duration.ofMinutes(10))
                                .build())
                        .build())
                .uid("file-sink");
        StreamGraph graph = env.getStreamGraph();
        graph.setJobId(new JobID());
        graph.setSavepointRestoreSettings(
                savepoint == null ? SavepointRestoreSettings.none() : SavepointRestoreSettings.forPath(savepoint));
        return graph;
    }

    /**
     * Stops the job with a savepoint after a few completed checkpoints (and thousands of records): a job that is
     * RUNNING may still deploy its tasks, so a fixed time after RUNNING raced with a busy machine.
     */
    private String stopAfterSomeRecords(MiniCluster cluster, JobID job) throws Exception {
        CompletedCheckpoints.await(cluster, job, 3, Duration.ofMinutes(1));
        return cluster.stopWithSavepoint(job, savepoints.toUri().toString(), false, SavepointFormatType.CANONICAL).get();
    }
}
