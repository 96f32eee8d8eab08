package dev.filesink.e2e.junit;

import dev.filesink.e2e.cluster.ClusterSpec;
import dev.filesink.e2e.servers.AzuriteServer;
import dev.filesink.e2e.servers.S3TestServer;

/**
 * The clusters several test classes share (each start costs about 8 s): one spec per name, so that every class that
 * shares a cluster gets the same one. Both take S3 credentials from the environment and the Azurite key from the
 * configuration, as a user would set them.
 */
public final class SharedClusters {

    private SharedClusters() {}

    /** One TaskManager with two slots. */
    public static FlinkClusterExtension oneTaskManager() {
        return FlinkClusterExtension.shared("one-task-manager", () -> withStoreCredentials(ClusterSpec.create()
                .taskManagers(1).slotsPerTaskManager(2)));
    }

    /** Two TaskManagers with two slots each: room for a job at parallelism 3. */
    public static FlinkClusterExtension twoTaskManagers() {
        return FlinkClusterExtension.shared("two-task-managers", () -> withStoreCredentials(ClusterSpec.create()
                .taskManagers(2).slotsPerTaskManager(2)));
    }

    private static ClusterSpec withStoreCredentials(ClusterSpec spec) {
        return spec.environment(S3TestServer.credentialsEnvironment())
                // Secrets go into the configuration (Flink masks keys with "secret" in its logs), not the command line.
                .set("filesink.azure.secret.account-key", AzuriteServer.KEY);
    }
}
