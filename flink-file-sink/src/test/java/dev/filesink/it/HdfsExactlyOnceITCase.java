package dev.filesink.it;

import dev.filesink.FileSink;
import dev.filesink.rollingpolicies.DefaultRollingPolicy;
import dev.filesink.testing.CompletedCheckpoints;
import dev.filesink.testing.FailureInjector;
import dev.filesink.testing.FinishedFiles;
import dev.filesink.testing.Jobs;
import dev.filesink.testing.MiniHdfs;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.serialization.SimpleStringEncoder;
import org.apache.flink.api.common.serialization.BulkWriter;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.RecoverableWriter;
import org.apache.flink.runtime.fs.hdfs.HadoopRecoverableWriter;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;

import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Exactly-once into HDFS (an in-process MiniDFSCluster) through Flink's Hadoop recoverable writer: in-progress
 * files span checkpoints and are resumed by truncation after failures, also when a job switches from Flink's own
 * FileSink to ours through a savepoint.
 */
class HdfsExactlyOnceITCase {

    @TempDir static java.nio.file.Path hdfsBase;

    private static MiniHdfs hdfs;
    private static FileSystem fileSystem;

    @BeforeAll
    static void startHdfs() throws Exception {
        hdfs = MiniHdfs.start(hdfsBase);
        fileSystem = hdfs.fileSystem();
    }

    @AfterAll
    static void stopHdfs() {
        if (hdfs != null) {
            hdfs.close();
        }
    }

    @Test
    void streamingWithFailuresIsExactlyOnceOnHdfs() throws Exception {
        long count = 8_000;
        String base = hdfs.uri() + "/streaming";
        StreamExecutionEnvironment env = Jobs.streaming(2, 300, clusterConfig());
        FailureInjector<String> failures =
                FailureInjector.plan().atRecord(900).duringCheckpoint(2).atRecord(1_200).build();
        Jobs.records(env, count, 4_000)
                .map(failures)
                .sinkTo(FileSink.forRowFormat(new Path(base), new SimpleStringEncoder<String>())
                        .withBucketAssigner(new ModuloBucketAssigner(3))
                        // Big enough that files span checkpoints and are resumed by truncation.
                        .withRollingPolicy(DefaultRollingPolicy.builder()
                                .withMaxPartSize(200 * 1024)
                                .withRolloverInterval(Duration.ofMinutes(10))
                                .build())
                        .build());
        env.execute("hdfs streaming with failures");
        assertThat(failures.fired()).as("injected failures that fired").isEqualTo(failures.planned());

        assertExactlyOnce(base, count);
    }

    @Test
    void batchWithAFailureIsExactlyOnceOnHdfs() throws Exception {
        long count = 10_000;
        String base = hdfs.uri() + "/batch";
        StreamExecutionEnvironment env = Jobs.batch(2, clusterConfig());
        FailureInjector<String> failures = FailureInjector.plan().onAnySubtask().atRecord(2_000).build();
        Jobs.records(env, count, 0)
                .map(failures)
                .sinkTo(FileSink.forRowFormat(new Path(base), new SimpleStringEncoder<String>())
                        .withBucketAssigner(new ModuloBucketAssigner(3))
                        .build());
        env.execute("hdfs batch with a failure");
        assertThat(failures.fired()).as("injected failures that fired").isEqualTo(failures.planned());

        assertExactlyOnce(base, count);
    }

    @Test
    void aJobWithFlinksFileSinkSwitchesToOursThroughASavepointOnHdfs(@TempDir java.nio.file.Path savepoints)
            throws Exception {
        long count = 12_000;
        String base = hdfs.uri() + "/takeover";
        org.apache.flink.configuration.Configuration conf = clusterConfig();
        conf.set(RestOptions.BIND_PORT, "0");
        try (MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder()
                .setConfiguration(conf).setNumTaskManagers(1).setNumSlotsPerTaskManager(2).build())) {
            cluster.start();
            // Flink's own sink first: files large enough to span the savepoint, so it stops in the middle of them.
            org.apache.flink.streaming.api.functions.sink.filesystem.RollingPolicy<String, String> rolling =
                    org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.DefaultRollingPolicy
                            .builder().withMaxPartSize(new MemorySize(200 * 1024))
                            .withRolloverInterval(Duration.ofMinutes(10)).build();
            JobID flinkJob = cluster.submitJob(takeoverJob(count, null,
                    org.apache.flink.connector.file.sink.FileSink
                            .forRowFormat(new Path(base), new SimpleStringEncoder<String>())
                            .withBucketAssigner(new ModuloBucketAssigner(3)).withRollingPolicy(rolling).build()))
                    .get().getJobID();
            // Several checkpoints and thousands of records (RUNNING plus a fixed time raced with slow deployments).
            CompletedCheckpoints.await(cluster, flinkJob, 4, Duration.ofMinutes(1));
            String savepoint = cluster.stopWithSavepoint(
                    flinkJob, savepoints.toUri().toString(), false, SavepointFormatType.CANONICAL).get();
            assertThat(hiddenFiles(base)).as("Flink's in-progress files at the savepoint").isNotEmpty();

            JobID ourJob = cluster.submitJob(takeoverJob(count, savepoint,
                    FileSink.forRowFormat(new Path(base), new SimpleStringEncoder<String>())
                            .withBucketAssigner(new ModuloBucketAssigner(3)).withRollingPolicy(rolling).build()))
                    .get().getJobID();
            JobResult result = cluster.requestJobResult(ourJob).get();
            assertThat(result.isSuccess()).as("job result %s", result.getSerializedThrowable()).isTrue();
        }
        assertExactlyOnce(base, count);
    }

    /** The same job (operator uids) for either sink, optionally restored from a savepoint. */
    private static StreamGraph takeoverJob(long count, String savepoint, Sink<String> sink) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        env.enableCheckpointing(300);
        Jobs.records(env, count, 4_000).uid("records").sinkTo(sink).uid("file-sink");
        StreamGraph graph = env.getStreamGraph();
        graph.setJobId(new JobID());
        graph.setSavepointRestoreSettings(savepoint == null
                ? SavepointRestoreSettings.none()
                : SavepointRestoreSettings.forPath(savepoint));
        return graph;
    }

    private static List<String> hiddenFiles(String base) throws Exception {
        List<String> hidden = new ArrayList<>();
        RemoteIterator<LocatedFileStatus> files = fileSystem.listFiles(new org.apache.hadoop.fs.Path(base), true);
        while (files.hasNext()) {
            LocatedFileStatus file = files.next();
            if (file.getPath().getName().startsWith(".")) {
                hidden.add(file.getPath().toString());
            }
        }
        return hidden;
    }

    @Test
    void bulkWithoutLocalWritingOpensHdfsFilesWithNoLocalWrite() throws Exception {
        long count = 5_000;
        String base = hdfs.uri() + "/no-local-write";
        FileSink<String> sink = FileSink.forBulkFormat(new Path(base), HdfsExactlyOnceITCase::lineWriter)
                .withBucketAssigner(new ModuloBucketAssigner(3))
                .disableLocalWriting()
                .build();
        // Flink's Hadoop writer got the option (HDFS treats it as a hint: one data node still takes the blocks).
        RecoverableWriter writer = sink.writerSettings().storage().open(new Path(base)).recoverableWriter();
        assertThat(writer).isInstanceOf(HadoopRecoverableWriter.class);
        Field noLocalWrite = HadoopRecoverableWriter.class.getDeclaredField("noLocalWrite");
        noLocalWrite.setAccessible(true);
        assertThat(noLocalWrite.getBoolean(writer)).isTrue();

        StreamExecutionEnvironment env = Jobs.batch(2, clusterConfig());
        Jobs.records(env, count, 0).sinkTo(sink);
        env.execute("hdfs bulk without local writing");

        assertExactlyOnce(base, count);
    }

    private static BulkWriter<String> lineWriter(FSDataOutputStream out) {
        return new BulkWriter<>() {
            @Override
            public void addElement(String element) throws IOException {
                out.write((element + "\n").getBytes(StandardCharsets.UTF_8));
            }

            @Override
            public void flush() throws IOException {
                out.flush();
            }

            @Override
            public void finish() throws IOException {
                flush();
            }
        };
    }

    private static org.apache.flink.configuration.Configuration clusterConfig() {
        return MiniHdfs.flinkConfig();
    }

    private static void assertExactlyOnce(String base, long count) throws Exception {
        List<String> lines = new ArrayList<>();
        RemoteIterator<LocatedFileStatus> files = fileSystem.listFiles(new org.apache.hadoop.fs.Path(base), true);
        while (files.hasNext()) {
            LocatedFileStatus file = files.next();
            if (file.getPath().getName().startsWith(".")) {
                continue;
            }
            try (BufferedReader reader = new BufferedReader(
                    new InputStreamReader(fileSystem.open(file.getPath()), StandardCharsets.UTF_8))) {
                reader.lines().forEach(lines::add);
            }
        }
        FinishedFiles.assertRecordsExactlyOnce(lines, count);
        assertThat(hiddenFiles(base)).as("in-progress files left in HDFS").isEmpty();
    }
}
