package dev.filesink.it;

import dev.filesink.FileSink;
import dev.filesink.rollingpolicies.DefaultRollingPolicy;
import dev.filesink.testing.FailureInjector;
import dev.filesink.testing.FinishedFiles;
import dev.filesink.testing.Jobs;
import dev.filesink.testing.RerunScenarios;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
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

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.InputStreamReader;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Exactly-once into HDFS (an in-process MiniDFSCluster) through Flink's Hadoop recoverable writer: in-progress
 * files span checkpoints and are resumed by truncation after failures, also when a job switches from Flink's own
 * FileSink to ours through a savepoint; runs that meet each other's files.
 */
class HdfsExactlyOnceITCase {

    @TempDir static java.nio.file.Path hdfsBase;

    private static MiniDFSCluster hdfs;
    private static FileSystem fileSystem;

    @BeforeAll
    static void startHdfs() throws Exception {
        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, hdfsBase.toString());
        conf.setInt("dfs.replication", 1);
        hdfs = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        hdfs.waitActive();
        fileSystem = hdfs.getFileSystem();
        org.apache.flink.core.fs.FileSystem.initialize(clusterConfig(), null);
    }

    @AfterAll
    static void stopHdfs() {
        if (hdfs != null) {
            hdfs.shutdown();
        }
    }

    @Test
    void streamingWithFailuresIsExactlyOnceOnHdfs() throws Exception {
        long count = 8_000;
        String base = hdfs.getURI() + "/streaming";
        StreamExecutionEnvironment env = Jobs.streaming(2, 300, clusterConfig());
        Jobs.records(env, count, 4_000)
                .map(FailureInjector.plan().atRecord(900).duringCheckpoint(2).atRecord(1_200).<String>build())
                .sinkTo(FileSink.forRowFormat(new Path(base), new SimpleStringEncoder<String>())
                        .withBucketAssigner(new ModuloBucketAssigner(3))
                        // Big enough that files span checkpoints and are resumed by truncation.
                        .withRollingPolicy(DefaultRollingPolicy.builder()
                                .withMaxPartSize(200 * 1024)
                                .withRolloverInterval(Duration.ofMinutes(10))
                                .build())
                        .build());
        env.execute("hdfs streaming with failures");

        assertExactlyOnce(base, count);
    }

    @Test
    void batchWithAFailureIsExactlyOnceOnHdfs() throws Exception {
        long count = 10_000;
        String base = hdfs.getURI() + "/batch";
        StreamExecutionEnvironment env = Jobs.batch(2, clusterConfig());
        Jobs.records(env, count, 0)
                .map(FailureInjector.plan().atRecord(2_000).<String>build())
                .sinkTo(FileSink.forRowFormat(new Path(base), new SimpleStringEncoder<String>())
                        .withBucketAssigner(new ModuloBucketAssigner(3))
                        .build());
        env.execute("hdfs batch with a failure");

        assertExactlyOnce(base, count);
    }

    @Test
    void sameJobIdRunTwiceOnHdfs() throws Exception {
        new RerunScenarios(new HdfsFolder()).sameJobIdRunTwiceKeepsBothRuns("same-job-id");
    }

    @Test
    void sameJobGraphRunTwiceOnHdfs() throws Exception {
        new RerunScenarios(new HdfsFolder()).sameJobGraphRunTwiceFailsLoudlyAndOverwritesNothing("same-job-graph");
    }

    @Test
    void twoJobsSharingABasePathOnHdfs() throws Exception {
        new RerunScenarios(new HdfsFolder()).twoJobsSharingABasePathKeepEachOthersFiles("shared-base-path");
    }

    @Test
    void aFilePlacedAtATargetByHandOnHdfs() throws Exception {
        new RerunScenarios(new HdfsFolder()).aFilePlacedAtATargetByHandFailsTheJob("by-hand");
    }

    /** Folders of the MiniDFSCluster, read through Hadoop's own client. */
    private static final class HdfsFolder implements RerunScenarios.StorageUnderTest {

        @Override
        public FileSink.DefaultRowFormatBuilder<String> rowFormat(String dir) {
            return FileSink.forRowFormat(new Path(hdfs.getURI() + "/" + dir), new SimpleStringEncoder<String>());
        }

        @Override
        public Map<String, byte[]> finished(String dir) throws IOException {
            Map<String, byte[]> files = new LinkedHashMap<>();
            for (org.apache.hadoop.fs.Path file : files(dir, false)) {
                try (InputStream in = fileSystem.open(file)) {
                    files.put(file.getParent().getName() + "/" + file.getName(), in.readAllBytes());
                }
            }
            return files;
        }

        @Override
        public List<String> unfinished(String dir) throws IOException {
            return files(dir, true).stream().map(org.apache.hadoop.fs.Path::toString).toList();
        }

        @Override
        public Optional<String> inProgressTarget(String dir) throws IOException {
            for (org.apache.hadoop.fs.Path file : files(dir, true)) {
                String name = file.getName();
                int marker = name.indexOf(".inprogress.");
                if (marker > 0) {
                    return Optional.of(file.getParent().getName() + "/" + name.substring(1, marker));
                }
            }
            return Optional.empty();
        }

        @Override
        public void placeByHand(String dir, String relativePath, byte[] content) throws IOException {
            try (OutputStream out = fileSystem.create(new org.apache.hadoop.fs.Path("/" + dir + "/" + relativePath))) {
                out.write(content);
            }
        }

        @Override
        public org.apache.flink.configuration.Configuration clusterConfig() {
            return HdfsExactlyOnceITCase.clusterConfig();
        }

        private static List<org.apache.hadoop.fs.Path> files(String dir, boolean hidden) throws IOException {
            List<org.apache.hadoop.fs.Path> found = new ArrayList<>();
            org.apache.hadoop.fs.Path base = new org.apache.hadoop.fs.Path("/" + dir);
            if (!fileSystem.exists(base)) {
                return found;
            }
            RemoteIterator<LocatedFileStatus> files = fileSystem.listFiles(base, true);
            while (files.hasNext()) {
                org.apache.hadoop.fs.Path file = files.next().getPath();
                if (file.getName().startsWith(".") == hidden) {
                    found.add(file);
                }
            }
            return found;
        }
    }

    @Test
    void aJobWithFlinksFileSinkSwitchesToOursThroughASavepointOnHdfs(@TempDir java.nio.file.Path savepoints)
            throws Exception {
        long count = 12_000;
        String base = hdfs.getURI() + "/takeover";
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
            while (cluster.getJobStatus(flinkJob).get() != JobStatus.RUNNING) {
                Thread.sleep(50);
            }
            Thread.sleep(1_500);
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
        String base = hdfs.getURI() + "/no-local-write";
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

    /** Flink's HDFS client: one replica, as a one-datanode cluster cannot replace a datanode in a write pipeline. */
    private static org.apache.flink.configuration.Configuration clusterConfig() {
        org.apache.flink.configuration.Configuration conf = Jobs.restarting();
        conf.setString("flink.hadoop.dfs.replication", "1");
        conf.setString("flink.hadoop.dfs.client.block.write.replace-datanode-on-failure.enable", "false");
        return conf;
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
