package dev.filesink.e2e.junit;

import dev.filesink.e2e.cluster.ClusterSpec;
import dev.filesink.e2e.cluster.FlinkDistribution;
import dev.filesink.e2e.cluster.LocalFlinkCluster;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * One real Flink cluster per test class: started before the first test, stopped (every process, by id) after the
 * last. When a test fails, the tails of all cluster logs go to stderr, which the test report keeps; the full logs
 * stay in the class's folder under {@code target/e2e}.
 */
public final class FlinkClusterExtension implements BeforeAllCallback, AfterAllCallback, TestWatcher {

    private final ClusterSpec spec;
    private Path workDir;
    private LocalFlinkCluster cluster;

    public FlinkClusterExtension(ClusterSpec spec) {
        this.spec = spec;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        workDir = Path.of(System.getProperty("e2e.work.dir", "target/e2e"))
                .resolve(context.getRequiredTestClass().getSimpleName() + "-" + stamp).toAbsolutePath();
        Files.createDirectories(workDir);
        cluster = LocalFlinkCluster.start(FlinkDistribution.fromBuild(), spec, workDir.resolve("cluster"));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        if (cluster != null) {
            System.err.println("Test " + context.getDisplayName() + " failed. Full logs: " + cluster.logDir());
            System.err.println(cluster.logTails(100));
        }
    }

    public LocalFlinkCluster cluster() {
        return cluster;
    }

    /** A fresh folder below this class's work folder (destinations, savepoints). */
    public Path newFolder(String name) throws IOException {
        Path folder = workDir.resolve(name);
        Files.createDirectories(folder);
        return folder;
    }
}
