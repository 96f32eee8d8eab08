package dev.filesink.s3.it;

import dev.filesink.FileSink;
import dev.filesink.it.ModuloBucketAssigner;
import dev.filesink.rollingpolicies.DefaultRollingPolicy;
import dev.filesink.s3.S3Destination;
import dev.filesink.s3.S3Storage;
import dev.filesink.s3.testing.S3Server;
import dev.filesink.storage.PartFileStorage;
import dev.filesink.testing.CompactionFailureStorage;
import dev.filesink.testing.CompactionFailureStorage.Step;
import dev.filesink.testing.FailureInjector;
import dev.filesink.testing.FinishedFiles;
import dev.filesink.testing.Jobs;
import dev.filesink.testing.LineDecoder;
import dev.filesink.testing.VisibleOutputWatcher;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.api.common.serialization.SimpleStringEncoder;
import org.apache.flink.connector.file.sink.compactor.ConcatFileCompactor;
import org.apache.flink.connector.file.sink.compactor.DecoderBasedReader;
import org.apache.flink.connector.file.sink.compactor.FileCompactStrategy;
import org.apache.flink.connector.file.sink.compactor.FileCompactor;
import org.apache.flink.connector.file.sink.compactor.RecordWiseFileCompactor;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.fs.Path;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.OnCheckpointRollingPolicy;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Compaction into a real S3 server (s3proxy) on a MiniCluster: failures injected while a compacted file is built,
 * before its commit and during the clean-up of its inputs (STREAMING and BATCH), record-wise compaction through
 * local copies, and a compaction of big files copied in the store without a byte through the task manager. Every
 * record exactly once, no visible object ever changes or vanishes, and at the end nothing hidden, no open upload, no
 * staging object.
 */
class S3CompactionITCase {

    private static final String BUCKET = "compaction";
    private static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setConfiguration(METRICS.addToConfiguration(Jobs.restarting()))
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(4)
            .build());

    private static final String COMPACTED = ".*/compacted-part-[0-9a-f-]{36}-\\d+";
    private static final String PART = ".*/part-[0-9a-f-]{36}-\\d+";
    private static S3Server server;

    @BeforeAll
    static void startServer() throws Exception {
        server = S3Server.start();
        server.createBucket(BUCKET);
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    private static FileSink<String> sink(String prefix, PartFileStorage storage, int buckets,
            FileCompactStrategy strategy, FileCompactor compactor, boolean rollOnCheckpoint) {
        return FileSink.forRowFormat(new Path("s3://" + BUCKET + "/" + prefix), new SimpleStringEncoder<String>())
                .withStorage(storage)
                .withBucketAssigner(new ModuloBucketAssigner(buckets))
                .withRollingPolicy(rollOnCheckpoint
                        ? OnCheckpointRollingPolicy.build()
                        : DefaultRollingPolicy.builder().withMaxRecordCount(300).build())
                .enableCompact(strategy, compactor)
                .build();
    }

    private static FileCompactStrategy bySizeAndEvery4Checkpoints() {
        return FileCompactStrategy.Builder.newBuilder()
                .setSizeThreshold(64 * 1024)
                .enableCompactionOnCheckpoint(4)
                .setNumCompactThreads(2)
                .build();
    }

    /** Exactly once, and nothing but final objects left: no hidden object, no upload, no staging object. */
    private static void assertExactlyOnceAndClean(String prefix, long count) {
        assertThat(server.keys(BUCKET, prefix)).as("hidden objects left").noneMatch(S3Objects::isHidden);
        S3Objects.assertExactlyOnce(server, BUCKET, prefix, count);
        List<String> keys = S3Objects.finished(server, BUCKET, prefix);
        System.out.printf("%s: %d final objects, %d of them compacted%n", prefix, keys.size(),
                keys.stream().filter(key -> key.matches(COMPACTED)).count());
    }

    @Test
    void compactionSwitchedOffAndOnThroughSavepoints(@TempDir java.nio.file.Path savepoints) throws Exception {
        long count = 6_000;
        String prefix = "switch/";
        MiniClusterConfiguration config = new MiniClusterConfiguration.Builder()
                .setConfiguration(Jobs.restarting())
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(2)
                .build();
        try (MiniCluster cluster = new MiniCluster(config);
                VisibleOutputWatcher watcher = S3Objects.watch(server, BUCKET, prefix, () -> true)) {
            cluster.start();
            // Compaction on (files under hidden names, some waiting in the savepoint), then off (the waiting hidden
            // files are committed by a storage that does not compact), then on again (files written at their final
            // keys are handed on uncompacted).
            JobID first = cluster.submitJob(switchJob(prefix, null, count, true)).get().getJobID();
            String savepoint1 = stopAfterSomeRecords(cluster, first, savepoints);
            JobID second = cluster.submitJob(switchJob(prefix, savepoint1, count, false)).get().getJobID();
            String savepoint2 = stopAfterSomeRecords(cluster, second, savepoints);
            JobID third = cluster.submitJob(switchJob(prefix, savepoint2, count, true)).get().getJobID();
            JobResult result = cluster.requestJobResult(third).get();
            assertThat(result.isSuccess()).as("job result %s", result.getSerializedThrowable()).isTrue();
            assertThat(watcher.violations()).isEmpty();
        }
        assertExactlyOnceAndClean(prefix, count);
        assertThat(S3Objects.finished(server, BUCKET, prefix)).anySatisfy(key -> assertThat(key).matches(COMPACTED));
    }

    private static StreamGraph switchJob(String prefix, String savepoint, long count, boolean compact) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        env.enableCheckpointing(200);
        FileSink.DefaultRowFormatBuilder<String> builder = FileSink
                .forRowFormat(new Path("s3://" + BUCKET + "/" + prefix), new SimpleStringEncoder<String>())
                .withStorage(S3Storage.of(server.destination().singlePutLimit(0).build()))
                .withBucketAssigner(new ModuloBucketAssigner(2))
                .withRollingPolicy(OnCheckpointRollingPolicy.build());
        if (compact) {
            // Seldom by checkpoint, never by size: the savepoints hold files waiting.
            builder.enableCompact(FileCompactStrategy.Builder.newBuilder().enableCompactionOnCheckpoint(5).build(),
                    new ConcatFileCompactor());
        } else {
            builder.disableCompact();
        }
        Jobs.records(env, count, 3_000).uid("records").sinkTo(builder.build()).uid("file-sink");
        StreamGraph graph = env.getStreamGraph();
        graph.setJobId(new JobID());
        graph.setSavepointRestoreSettings(
                savepoint == null ? SavepointRestoreSettings.none() : SavepointRestoreSettings.forPath(savepoint));
        return graph;
    }

    private static String stopAfterSomeRecords(MiniCluster cluster, JobID job, java.nio.file.Path savepoints)
            throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (cluster.getJobStatus(job).get() != JobStatus.RUNNING && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        Thread.sleep(800);
        while (true) {
            try {
                return cluster.stopWithSavepoint(job, savepoints.toUri().toString(), false,
                        SavepointFormatType.CANONICAL).get();
            } catch (java.util.concurrent.ExecutionException e) {
                // On a busy machine a task may still be deploying: the savepoint is refused, try again.
                if (System.currentTimeMillis() > deadline || !String.valueOf(e.getMessage()).contains("not being executed")) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }

    @Test
    void streamingWithFailuresAtEveryCompactionStep() throws Exception {
        long count = 6_000;
        String prefix = "streaming/";
        // Every part file a multipart upload (no single PUT): inputs are finished under their hidden names, read
        // back, and committed by a copy.
        S3Destination destination = server.destination().singlePutLimit(0).build();
        CompactionFailureStorage storage = new CompactionFailureStorage(S3Storage.of(destination).forCompaction(),
                Step.DURING_COMPACTION, Step.BEFORE_COMMIT, Step.DURING_INPUT_CLEANUP);
        StreamExecutionEnvironment env = Jobs.streaming(2, 200);
        Jobs.records(env, count, 2_000)
                .sinkTo(sink(prefix, storage, 4, bySizeAndEvery4Checkpoints(), new ConcatFileCompactor(), true));

        try (VisibleOutputWatcher watcher = S3Objects.watch(server, BUCKET, prefix, () -> true)) {
            env.execute("S3 compaction with failures");
            assertThat(watcher.violations()).isEmpty();
        }
        assertExactlyOnceAndClean(prefix, count);
        assertThat(storage.fired(Step.DURING_COMPACTION)).isEqualTo(1);
        assertThat(storage.fired(Step.BEFORE_COMMIT)).isEqualTo(1);
        assertThat(storage.fired(Step.DURING_INPUT_CLEANUP)).isEqualTo(1);
        List<String> keys = S3Objects.finished(server, BUCKET, prefix);
        assertThat(keys).allSatisfy(key -> assertThat(key).matches(COMPACTED + "|" + PART));
        assertThat(keys).anySatisfy(key -> assertThat(key).matches(COMPACTED));
    }

    @Test
    void batchCompactsEachBucketIntoOneObjectDespiteFailures() throws Exception {
        long count = 15_000;
        String prefix = "batch/";
        CompactionFailureStorage storage = new CompactionFailureStorage(
                S3Storage.of(server.destination().build()).forCompaction(),
                Step.DURING_COMPACTION, Step.BEFORE_COMMIT, Step.DURING_INPUT_CLEANUP);
        FailureInjector<String> atRecord = FailureInjector.plan().onAnySubtask().atRecord(3_000).<String>build();
        StreamExecutionEnvironment env = Jobs.batch(2);
        Jobs.records(env, count, 0)
                .map(atRecord)
                .sinkTo(sink(prefix, storage, 5,
                        FileCompactStrategy.Builder.newBuilder().enableCompactionOnCheckpoint(1).build(),
                        new ConcatFileCompactor(), false));
        env.execute("S3 batch compaction with failures");

        assertExactlyOnceAndClean(prefix, count);
        assertThat(storage.firedTotal()).isEqualTo(3);
        assertThat(atRecord.fired()).isEqualTo(1);
        assertThat(S3Objects.finished(server, BUCKET, prefix))
                .hasSize(5).allSatisfy(key -> assertThat(key).matches(COMPACTED));
    }

    @Test
    void recordWiseCompactionReadsLocalCopies() throws Exception {
        long count = 8_000;
        String prefix = "record-wise/";
        S3Destination destination = server.destination().singlePutLimit(0).build();
        StreamExecutionEnvironment env = Jobs.streaming(2, 200);
        Jobs.records(env, count, 2_500)
                .sinkTo(sink(prefix, S3Storage.of(destination).forCompaction(), 3, bySizeAndEvery4Checkpoints(),
                        new RecordWiseFileCompactor<>(new DecoderBasedReader.Factory<>(LineDecoder::new)), true));
        try (VisibleOutputWatcher watcher = S3Objects.watch(server, BUCKET, prefix, () -> true)) {
            env.execute("S3 record-wise compaction");
            assertThat(watcher.violations()).isEmpty();
        }
        assertExactlyOnceAndClean(prefix, count);
        assertThat(S3Objects.finished(server, BUCKET, prefix)).anySatisfy(key -> assertThat(key).matches(COMPACTED));
    }

    @Test
    void bigFilesAreConcatenatedInTheStoreWithoutAByteThroughTheTaskManager() throws Exception {
        // One writer, one bucket, two files of 53,000 records of 99 bytes: each just over S3's 5 MiB part minimum.
        long perFile = 53_000;
        long count = 2 * perFile;
        String prefix = "in-store/";
        StreamExecutionEnvironment env = Jobs.batch(1);
        Jobs.records(env, count, 0).sinkTo(FileSink
                .forRowFormat(new Path("s3://" + BUCKET + "/" + prefix), new SimpleStringEncoder<String>())
                .withStorage(S3Storage.of(server.destination().build()).forCompaction())
                .withBucketAssigner(new ModuloBucketAssigner(1))
                .withRollingPolicy(DefaultRollingPolicy.builder().withMaxRecordCount(perFile).build())
                .enableCompact(FileCompactStrategy.Builder.newBuilder().enableCompactionOnCheckpoint(1).build(),
                        new ConcatFileCompactor())
                .build());
        JobClient client = env.executeAsync("S3 compaction in the store");
        client.getJobExecutionResult().get();
        JobID job = client.getJobID();

        assertExactlyOnceAndClean(prefix, count);
        assertThat(S3Objects.finished(server, BUCKET, prefix)).hasSize(1).allSatisfy(key -> assertThat(key)
                .matches(COMPACTED));
        assertThat(counter(job, "fileSink.compaction.inputFiles")).isEqualTo(2);
        assertThat(counter(job, "fileSink.compaction.inputBytes")).isEqualTo(count * 99);
        assertThat(counter(job, "fileSink.compaction.bytesThroughTaskManager")).isZero();
    }

    /** The sum of the job's counters of that name over all subtasks and attempts. */
    private static long counter(JobID job, String name) {
        long sum = 0;
        boolean found = false;
        for (Map.Entry<MetricGroup, Map<String, Metric>> group : METRICS.getMetricsByGroup().entrySet()) {
            if (!job.toHexString().equals(group.getKey().getAllVariables().get("<job_id>"))) {
                continue;
            }
            for (Map.Entry<String, Metric> metric : Map.copyOf(group.getValue()).entrySet()) {
                if (group.getKey().getMetricIdentifier(metric.getKey()).endsWith("." + name)) {
                    sum += ((Counter) metric.getValue()).getCount();
                    found = true;
                }
            }
        }
        assertThat(found).as("metric %s registered", name).isTrue();
        return sum;
    }
}
