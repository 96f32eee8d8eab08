package dev.filesink.it;

import dev.filesink.FileSink;
import dev.filesink.rollingpolicies.DefaultRollingPolicy;
import dev.filesink.testing.FailureInjector;
import dev.filesink.testing.FinishedFiles;
import dev.filesink.testing.Jobs;

import org.apache.flink.api.common.serialization.SimpleStringEncoder;
import org.apache.flink.api.common.serialization.BulkWriter;
import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.RecoverableWriter;
import org.apache.flink.runtime.fs.hdfs.HadoopRecoverableWriter;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

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
import java.io.InputStreamReader;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Exactly-once into HDFS (an in-process MiniDFSCluster) through Flink's Hadoop recoverable writer: in-progress
 * files span checkpoints and are resumed by truncation after failures.
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
        List<String> hidden = new ArrayList<>();
        RemoteIterator<LocatedFileStatus> files = fileSystem.listFiles(new org.apache.hadoop.fs.Path(base), true);
        while (files.hasNext()) {
            LocatedFileStatus file = files.next();
            if (file.getPath().getName().startsWith(".")) {
                hidden.add(file.getPath().toString());
                continue;
            }
            try (BufferedReader reader = new BufferedReader(
                    new InputStreamReader(fileSystem.open(file.getPath()), StandardCharsets.UTF_8))) {
                reader.lines().forEach(lines::add);
            }
        }
        FinishedFiles.assertRecordsExactlyOnce(lines, count);
        assertThat(hidden).as("in-progress files left in HDFS").isEmpty();
    }
}
