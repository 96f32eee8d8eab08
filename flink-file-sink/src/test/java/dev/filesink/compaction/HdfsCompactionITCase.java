package dev.filesink.compaction;

import dev.filesink.FileSink;
import dev.filesink.it.ModuloBucketAssigner;
import dev.filesink.storage.FileSystemStorage;
import dev.filesink.testing.CompactionFailureStorage;
import dev.filesink.testing.CompactionFailureStorage.Step;
import dev.filesink.testing.FinishedFiles;
import dev.filesink.testing.Jobs;

import org.apache.flink.api.common.serialization.SimpleStringEncoder;
import org.apache.flink.connector.file.sink.compactor.DecoderBasedReader;
import org.apache.flink.connector.file.sink.compactor.FileCompactStrategy;
import org.apache.flink.connector.file.sink.compactor.FileCompactor;
import org.apache.flink.connector.file.sink.compactor.ConcatFileCompactor;
import org.apache.flink.connector.file.sink.compactor.RecordWiseFileCompactor;
import dev.filesink.testing.LineDecoder;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.OnCheckpointRollingPolicy;

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
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Compaction into HDFS (an in-process MiniDFSCluster) through Flink's Hadoop recoverable writer, byte-wise and
 * record-wise, with a failure injected at each compaction step: every record exactly once, nothing hidden left.
 */
class HdfsCompactionITCase {

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
    void concatWithFailuresAtEveryStep() throws Exception {
        runWithFailures("/concat", new ConcatFileCompactor());
    }

    @Test
    void recordWiseWithFailuresAtEveryStep() throws Exception {
        runWithFailures("/record-wise",
                new RecordWiseFileCompactor<>(new DecoderBasedReader.Factory<>(LineDecoder::new)));
    }

    private void runWithFailures(String folder, FileCompactor compactor) throws Exception {
        long count = 8_000;
        String base = hdfs.getURI() + folder;
        CompactionFailureStorage storage = new CompactionFailureStorage(
                FileSystemStorage.INSTANCE, Step.DURING_COMPACTION, Step.BEFORE_COMMIT, Step.DURING_INPUT_CLEANUP);
        StreamExecutionEnvironment env = Jobs.streaming(2, 200, clusterConfig());
        Jobs.records(env, count, 2_000)
                .sinkTo(FileSink.forRowFormat(new Path(base), new SimpleStringEncoder<String>())
                        .withBucketAssigner(new ModuloBucketAssigner(3))
                        .withRollingPolicy(OnCheckpointRollingPolicy.build())
                        .withStorage(storage)
                        .enableCompact(
                                FileCompactStrategy.Builder.newBuilder()
                                        .setSizeThreshold(32 * 1024)
                                        .enableCompactionOnCheckpoint(3)
                                        .build(),
                                compactor)
                        .build());
        env.execute("hdfs compaction with failures");

        List<String> lines = new ArrayList<>();
        List<String> hidden = new ArrayList<>();
        List<String> visible = new ArrayList<>();
        RemoteIterator<LocatedFileStatus> files = fileSystem.listFiles(new org.apache.hadoop.fs.Path(base), true);
        while (files.hasNext()) {
            LocatedFileStatus file = files.next();
            if (file.getPath().getName().startsWith(".")) {
                hidden.add(file.getPath().toString());
                continue;
            }
            visible.add(file.getPath().getName());
            try (BufferedReader reader = new BufferedReader(
                    new InputStreamReader(fileSystem.open(file.getPath()), StandardCharsets.UTF_8))) {
                reader.lines().forEach(lines::add);
            }
        }
        FinishedFiles.assertRecordsExactlyOnce(lines, count);
        assertThat(hidden).as("in-progress files left in HDFS").isEmpty();
        assertThat(storage.fired(Step.DURING_COMPACTION)).isEqualTo(1);
        assertThat(storage.fired(Step.BEFORE_COMMIT)).isEqualTo(1);
        assertThat(storage.fired(Step.DURING_INPUT_CLEANUP)).isEqualTo(1);
        assertThat(visible).anySatisfy(name -> assertThat(name).startsWith("compacted-part-"));
    }

    private static org.apache.flink.configuration.Configuration clusterConfig() {
        org.apache.flink.configuration.Configuration conf = Jobs.restarting();
        conf.setString("flink.hadoop.dfs.replication", "1");
        conf.setString("flink.hadoop.dfs.client.block.write.replace-datanode-on-failure.enable", "false");
        return conf;
    }
}
