package dev.filesink.takeover;

import org.apache.flink.core.fs.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import java.util.UUID;

/** Flink's FileSink state on HDFS (an in-process MiniDFSCluster), taken over by ours. */
class HdfsFlinkStateTakeoverTest extends FlinkStateTakeoverContract {

    @TempDir static java.nio.file.Path hdfsBase;

    private static MiniDFSCluster hdfs;

    @BeforeAll
    static void startHdfs() throws Exception {
        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, hdfsBase.toString());
        conf.setInt("dfs.replication", 1);
        hdfs = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        hdfs.waitActive();
        org.apache.flink.configuration.Configuration flinkConf = new org.apache.flink.configuration.Configuration();
        flinkConf.setString("flink.hadoop.dfs.replication", "1");
        flinkConf.setString("flink.hadoop.dfs.client.block.write.replace-datanode-on-failure.enable", "false");
        org.apache.flink.core.fs.FileSystem.initialize(flinkConf, null);
    }

    @AfterAll
    static void stopHdfs() {
        if (hdfs != null) {
            hdfs.shutdown();
        }
    }

    @Override
    protected Path basePath() {
        return new Path(hdfs.getURI() + "/takeover-" + UUID.randomUUID());
    }
}
