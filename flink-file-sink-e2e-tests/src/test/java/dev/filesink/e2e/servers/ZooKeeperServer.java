package dev.filesink.e2e.servers;

import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A real single-node ZooKeeper (curator-test's {@link TestingServer}: ZooKeeper 3.7, the line of the client Flink
 * shades) in the test JVM, listening on 127.0.0.1 only, for clusters with JobManager high availability.
 */
public final class ZooKeeperServer implements AutoCloseable {

    /** 1 s ticks: sessions of 2 to 20 s are allowed, so the cluster's 6 s session timeout is kept as asked. */
    private static final int TICK_MILLIS = 1_000;

    private final TestingServer server;

    private ZooKeeperServer(TestingServer server) {
        this.server = server;
    }

    public static ZooKeeperServer start(Path dataDir) throws Exception {
        Files.createDirectories(dataDir);
        InstanceSpec spec = new InstanceSpec(dataDir.toFile(), InstanceSpec.getRandomPort(), -1, -1, false, 1,
                TICK_MILLIS, 100, Map.of("clientPortAddress", "127.0.0.1"), "127.0.0.1");
        return new ZooKeeperServer(new TestingServer(spec, true));
    }

    /** The connect string for {@code high-availability.zookeeper.quorum}. */
    public String quorum() {
        return server.getConnectString();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
