package dev.filesink.e2e.junit;

import dev.filesink.e2e.servers.ZooKeeperServer;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.nio.file.Path;

/**
 * A ZooKeeper server for one test class. Register it before the {@link FlinkClusterExtension} (lower
 * {@code @Order}) so that it starts before the cluster and stops after it.
 */
public final class ZooKeeperExtension implements BeforeAllCallback, AfterAllCallback {

    private ZooKeeperServer server;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        Path dataDir = Path.of(System.getProperty("e2e.work.dir", "target/e2e"))
                .resolve(context.getRequiredTestClass().getSimpleName() + "-zookeeper-" + System.nanoTime())
                .toAbsolutePath();
        server = ZooKeeperServer.start(dataDir);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (server != null) {
            server.close();
        }
    }

    /** The quorum of the running server. */
    public String quorum() {
        if (server == null) {
            throw new IllegalStateException("ZooKeeper is not started (register this extension before the cluster's)");
        }
        return server.quorum();
    }
}
