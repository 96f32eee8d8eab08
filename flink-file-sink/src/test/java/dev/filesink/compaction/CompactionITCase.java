package dev.filesink.compaction;

import dev.filesink.FileSink;
import dev.filesink.it.ModuloBucketAssigner;
import dev.filesink.storage.FileSystemStorage;
import dev.filesink.testing.CompactionFailureStorage;
import dev.filesink.testing.CompactionFailureStorage.Step;
import dev.filesink.testing.CompletedCheckpoints;
import dev.filesink.testing.FailureInjector;
import dev.filesink.testing.FinishedFiles;
import dev.filesink.testing.Jobs;
import dev.filesink.testing.VisibleOutputWatcher;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.serialization.SimpleStringEncoder;
import org.apache.flink.connector.file.sink.compactor.ConcatFileCompactor;
import org.apache.flink.connector.file.sink.compactor.FileCompactStrategy;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.core.fs.Path;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.OnCheckpointRollingPolicy;
import org.apache.flink.streaming.api.graph.StreamGraph;
import dev.filesink.rollingpolicies.DefaultRollingPolicy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Compaction into a local folder on a MiniCluster: failures injected during a compaction, between it and the commit
 * of its output, and during the cleanup of its inputs (STREAMING and BATCH), a restore at other parallelisms, and a
 * restore with compaction disabled. Every record exactly once, no small file ever visible (the watcher would see it
 * vanish), nothing hidden left.
 */
class CompactionITCase {

    /** The restore test compacts every 5th checkpoint, so that its savepoints hold files waiting. */
    private static final int CHECKPOINTS_PER_COMPACTION = 5;
    private static final String COMPACTED = "compacted-part-[0-9a-f-]{36}-\\d+\\.txt";
    private static final String PART = "part-[0-9a-f-]{36}-\\d+\\.txt";

    @TempDir java.nio.file.Path out;
    @TempDir java.nio.file.Path savepoints;

    @Test
    void streamingWithFailuresAtEveryCompactionStep() throws Exception {
        long count = 15_000;
        CompactionFailureStorage storage = new CompactionFailureStorage(
                FileSystemStorage.INSTANCE, Step.DURING_COMPACTION, Step.BEFORE_COMMIT, Step.DURING_INPUT_CLEANUP);
        StreamExecutionEnvironment env = Jobs.streaming(2, 150);
        Jobs.records(env, count, 2_500)
                .sinkTo(FileSink.forRowFormat(new Path(out.toUri()), new SimpleStringEncoder<String>())
                        .withBucketAssigner(new ModuloBucketAssigner(4))
                        .withRollingPolicy(OnCheckpointRollingPolicy.build())
                        .withOutputFileConfig(org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig
                                .builder().withPartSuffix(".txt").build())
                        .withStorage(storage)
                        .enableCompact(
                                FileCompactStrategy.Builder.newBuilder()
                                        .setSizeThreshold(64 * 1024)
                                        .enableCompactionOnCheckpoint(4)
                                        .setNumCompactThreads(2)
                                        .build(),
                                new ConcatFileCompactor())
                        .build());

        try (VisibleOutputWatcher watcher = VisibleOutputWatcher.ofFolder(out)) {
            env.execute("compaction with failures");
            assertThat(watcher.violations()).isEmpty();
        }
        FinishedFiles.assertExactlyOnce(out, count);
        assertThat(storage.fired(Step.DURING_COMPACTION)).isEqualTo(1);
        assertThat(storage.fired(Step.BEFORE_COMMIT)).isEqualTo(1);
        assertThat(storage.fired(Step.DURING_INPUT_CLEANUP)).isEqualTo(1);
        List<String> names = fileNames();
        assertThat(names).allSatisfy(name -> assertThat(name).matches(COMPACTED + "|" + PART));
        assertThat(names).anySatisfy(name -> assertThat(name).matches(COMPACTED));
    }

    @Test
    void batchCompactsEachBucketIntoOneFileDespiteFailures() throws Exception {
        long count = 20_000;
        CompactionFailureStorage storage = new CompactionFailureStorage(
                FileSystemStorage.INSTANCE, Step.DURING_COMPACTION, Step.BEFORE_COMMIT, Step.DURING_INPUT_CLEANUP);
        FailureInjector<String> atRecord = FailureInjector.plan().onAnySubtask().atRecord(3_000).<String>build();
        StreamExecutionEnvironment env = Jobs.batch(2);
        Jobs.records(env, count, 0)
                .map(atRecord)
                .sinkTo(FileSink.forRowFormat(new Path(out.toUri()), new SimpleStringEncoder<String>())
                        .withBucketAssigner(new ModuloBucketAssigner(5))
                        .withRollingPolicy(DefaultRollingPolicy.builder().withMaxRecordCount(300).build())
                        .withStorage(storage)
                        .enableCompact(
                                FileCompactStrategy.Builder.newBuilder().enableCompactionOnCheckpoint(1).build(),
                                new ConcatFileCompactor())
                        .build());

        try (VisibleOutputWatcher watcher = VisibleOutputWatcher.ofFolder(out)) {
            env.execute("batch compaction with failures");
            assertThat(watcher.violations()).isEmpty();
        }
        FinishedFiles.assertExactlyOnce(out, count);
        assertThat(storage.firedTotal()).isEqualTo(3);
        assertThat(atRecord.fired()).isEqualTo(1);
        // No size threshold: at the end of input each bucket's files become one.
        assertThat(fileNames()).hasSize(5).allSatisfy(name -> assertThat(name).startsWith("compacted-part-"));
    }

    @Test
    void restoresAtOtherParallelismsAndWithCompactionDisabled() throws Exception {
        // Enough input that three stops (each after a compaction, however slow the machine) never reach its end.
        long count = 90_000;
        MiniClusterConfiguration config = new MiniClusterConfiguration.Builder()
                .setConfiguration(Jobs.restarting())
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(4)
                .build();
        try (MiniCluster cluster = new MiniCluster(config);
                VisibleOutputWatcher watcher = VisibleOutputWatcher.ofFolder(out)) {
            cluster.start();
            JobID first = cluster.submitJob(job(2, null, count, true)).get().getJobID();
            String savepoint1 = stopAfterACompaction(cluster, first);
            JobID second = cluster.submitJob(job(3, savepoint1, count, true)).get().getJobID();
            String savepoint2 = stopAfterACompaction(cluster, second);
            JobID third = cluster.submitJob(job(1, savepoint2, count, true)).get().getJobID();
            String savepoint3 = stopAfterACompaction(cluster, third);
            // The savepoint holds files waiting for compaction: disableCompact commits them as they are.
            JobID fourth = cluster.submitJob(job(2, savepoint3, count, false)).get().getJobID();
            JobResult result = cluster.requestJobResult(fourth).get();
            assertThat(result.isSuccess()).as("job result %s", result.getSerializedThrowable()).isTrue();
            assertThat(watcher.violations()).isEmpty();
        }
        FinishedFiles.assertExactlyOnce(out, count);
        assertThat(fileNames()).anySatisfy(name -> assertThat(name).startsWith("compacted-part-"));
    }

    private StreamGraph job(int parallelism, String savepoint, long count, boolean compact) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(parallelism);
        env.setMaxParallelism(12);
        env.enableCheckpointing(200);
        FileSink.DefaultRowFormatBuilder<String> builder =
                FileSink.forRowFormat(new Path(out.toUri()), new SimpleStringEncoder<String>())
                        .withBucketAssigner(new ModuloBucketAssigner(4))
                        .withRollingPolicy(OnCheckpointRollingPolicy.build());
        if (compact) {
            // Never by size, seldom by checkpoint: the savepoints hold files waiting.
            builder.enableCompact(FileCompactStrategy.Builder.newBuilder()
                            .enableCompactionOnCheckpoint(CHECKPOINTS_PER_COMPACTION).build(),
                    new ConcatFileCompactor());
        } else {
            builder.disableCompact();
        }
        // The last job only drains what is left of the input: faster, to keep the test short.
        Jobs.records(env, count, compact ? 5_000 : 30_000).uid("records").sinkTo(builder.build()).uid("file-sink");
        StreamGraph graph = env.getStreamGraph();
        graph.setJobId(new JobID());
        graph.setSavepointRestoreSettings(
                savepoint == null ? SavepointRestoreSettings.none() : SavepointRestoreSettings.forPath(savepoint));
        return graph;
    }

    /**
     * Stops the job with a savepoint once one more checkpoint than a compaction needs has completed: its tasks run,
     * it compacted once (every job counts its checkpoints from 0) and has files waiting again. Waiting for RUNNING
     * and a fixed time instead raced with slow deployments on a busy machine.
     */
    private String stopAfterACompaction(MiniCluster cluster, JobID job) throws Exception {
        CompletedCheckpoints.await(cluster, job, CHECKPOINTS_PER_COMPACTION + 1, Duration.ofMinutes(1));
        return cluster.stopWithSavepoint(job, savepoints.toUri().toString(), false, SavepointFormatType.CANONICAL).get();
    }

    private List<String> fileNames() {
        return FinishedFiles.visible(out).stream().map(file -> file.getFileName().toString()).toList();
    }
}
