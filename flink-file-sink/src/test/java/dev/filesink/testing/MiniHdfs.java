package dev.filesink.testing;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;

import java.io.IOException;
import java.nio.file.Path;

/** An in-process HDFS (MiniDFSCluster, one datanode) and the Flink settings its clients need. */
public final class MiniHdfs implements AutoCloseable {

    private final MiniDFSCluster cluster;

    private MiniHdfs(MiniDFSCluster cluster) {
        this.cluster = cluster;
    }

    /** Starts a cluster keeping its data below {@code baseDir}, and initializes Flink's file systems for it. */
    public static MiniHdfs start(Path baseDir) throws IOException {
        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, baseDir.toString());
        conf.setInt("dfs.replication", 1);
        MiniDFSCluster cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        cluster.waitActive();
        org.apache.flink.core.fs.FileSystem.initialize(flinkConfig(), null);
        return new MiniHdfs(cluster);
    }

    /**
     * A job's configuration for this cluster, with a restart strategy: one replica, as a one-datanode cluster cannot
     * replace a datanode in a write pipeline.
     */
    public static org.apache.flink.configuration.Configuration flinkConfig() {
        org.apache.flink.configuration.Configuration conf = Jobs.restarting();
        conf.setString("flink.hadoop.dfs.replication", "1");
        conf.setString("flink.hadoop.dfs.client.block.write.replace-datanode-on-failure.enable", "false");
        return conf;
    }

    /** The cluster's address, {@code hdfs://host:port}. */
    public String uri() {
        return cluster.getURI().toString();
    }

    /** Hadoop's own client, to read back what a job wrote. */
    public FileSystem fileSystem() throws IOException {
        return cluster.getFileSystem();
    }

    @Override
    public void close() {
        cluster.shutdown();
    }
}
