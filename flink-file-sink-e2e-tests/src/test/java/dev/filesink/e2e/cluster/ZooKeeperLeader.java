package dev.filesink.e2e.cluster;

import org.apache.zookeeper.ZooKeeper;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Reads which JobManager leads an HA cluster from ZooKeeper, where Flink publishes it: the dispatcher's RPC address
 * in {@code /flink/<cluster-id>/leader/dispatcher/connection_info}, written as a Java-serialized UTF string followed
 * by the leader's session id.
 */
final class ZooKeeperLeader {

    private ZooKeeperLeader() {}

    /** The leading dispatcher's RPC address (e.g. {@code pekko.tcp://flink@127.0.0.1:40123/user/rpc/dispatcher_1}). */
    static Optional<String> dispatcherAddress(String quorum, String clusterId) {
        String path = "/flink" + clusterId + "/leader/dispatcher/connection_info";
        CountDownLatch connected = new CountDownLatch(1);
        ZooKeeper zooKeeper = null;
        try {
            zooKeeper = new ZooKeeper(quorum, 10_000, event -> {
                if (event.getState() == org.apache.zookeeper.Watcher.Event.KeeperState.SyncConnected) {
                    connected.countDown();
                }
            });
            if (!connected.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("Cannot connect to ZooKeeper at " + quorum);
            }
            byte[] data;
            try {
                data = zooKeeper.getData(path, false, null);
            } catch (org.apache.zookeeper.KeeperException.NoNodeException e) {
                return Optional.empty(); // no leader yet, or its node is being replaced
            }
            if (data == null || data.length == 0) {
                return Optional.empty(); // leadership revoked, nobody leads yet
            }
            try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(data))) {
                return Optional.of(in.readUTF());
            }
        } catch (IOException | org.apache.zookeeper.KeeperException e) {
            throw new IllegalStateException("Cannot read " + path + " from ZooKeeper at " + quorum, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        } finally {
            if (zooKeeper != null) {
                try {
                    zooKeeper.close();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
