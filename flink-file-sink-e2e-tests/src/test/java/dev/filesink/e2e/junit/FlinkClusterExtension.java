package dev.filesink.e2e.junit;

import dev.filesink.e2e.cluster.ClusterSpec;
import dev.filesink.e2e.cluster.FlinkDistribution;
import dev.filesink.e2e.cluster.FlinkProcess;
import dev.filesink.e2e.cluster.LocalFlinkCluster;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.function.Supplier;

/**
 * A real Flink cluster for a test class: either its own (started before the first test, stopped, every process by
 * id, after the last), or one {@link #shared shared} by several classes of the test run. When a test fails, the
 * tails of all cluster logs go to stderr, which the test report keeps; the full logs stay under {@code target/e2e}.
 */
public final class FlinkClusterExtension implements BeforeAllCallback, AfterAllCallback, TestWatcher {

    private static final ExtensionContext.Namespace SHARED = ExtensionContext.Namespace.create(FlinkClusterExtension.class);
    /** How long a class waits for the jobs an earlier (failed) class left on a shared cluster to be canceled. */
    private static final Duration LEFTOVER_JOBS_TIMEOUT = Duration.ofMinutes(1);

    private final Supplier<ClusterSpec> spec;
    private final String sharedName;
    private Path workDir;
    private LocalFlinkCluster cluster;

    /** A cluster of this class's own. */
    public FlinkClusterExtension(ClusterSpec spec) {
        this(() -> spec, null);
    }

    private FlinkClusterExtension(Supplier<ClusterSpec> spec, String sharedName) {
        this.spec = spec;
        this.sharedName = sharedName;
    }

    /**
     * The cluster named {@code name}, shared by every class of the test run that asks for it: the first one starts
     * it (from {@code spec}), it stops when the run ends. Saves a cluster start (about 8 s) per class. Only for
     * classes that leave it as they found it: the spec's TaskManagers running (a killed one replaced) and no job
     * left unfinished. Before its first test each class puts the cluster back into that state (an earlier class
     * that failed may have left a job or a TaskManager too many or too few), so a class never sees another's jobs.
     */
    public static FlinkClusterExtension shared(String name, Supplier<ClusterSpec> spec) {
        return new FlinkClusterExtension(spec, name);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        workDir = newWorkDir(context.getRequiredTestClass().getSimpleName());
        if (sharedName == null) {
            cluster = LocalFlinkCluster.start(FlinkDistribution.fromBuild(), spec.get(), workDir.resolve("cluster"));
            return;
        }
        cluster = context.getRoot().getStore(SHARED)
                .getOrComputeIfAbsent(sharedName, name -> SharedCluster.start(name, spec.get()), SharedCluster.class)
                .cluster();
        restoreAsStarted(cluster, spec.get());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (cluster != null && sharedName == null) {
            cluster.close();
        }
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        if (cluster != null) {
            System.err.println("Test " + context.getDisplayName() + " failed. Full logs: " + cluster.logDir()
                    + (sharedName == null ? "" : " (a cluster shared by several test classes)"));
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

    private static Path newWorkDir(String name) throws IOException {
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path dir = Path.of(System.getProperty("e2e.work.dir", "target/e2e")).resolve(name + "-" + stamp).toAbsolutePath();
        Files.createDirectories(dir);
        return dir;
    }

    /**
     * No job of an earlier class left (canceled: that class failed already) and the spec's TaskManagers registered:
     * extra ones stopped, missing ones started, killed ones gone.
     */
    private static void restoreAsStarted(LocalFlinkCluster cluster, ClusterSpec spec) {
        List<String> leftovers = cluster.rest().unfinishedJobs();
        if (!leftovers.isEmpty()) {
            System.err.println("Canceling jobs an earlier test class left on the shared cluster: " + leftovers);
            leftovers.forEach(job -> cluster.cli().cancel(job));
        }
        List<FlinkProcess> running = cluster.runningTaskManagers();
        int wanted = spec.taskManagerCount();
        running.subList(Math.min(wanted, running.size()), running.size()).forEach(FlinkProcess::stop);
        for (int i = running.size(); i < wanted; i++) {
            try {
                cluster.startTaskManager();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        cluster.awaitTaskManagers(wanted);
        long deadline = System.nanoTime() + LEFTOVER_JOBS_TIMEOUT.toNanos();
        while (!cluster.rest().unfinishedJobs().isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("The shared cluster in " + cluster.home() + " still runs a job of an "
                        + "earlier test class after " + LEFTOVER_JOBS_TIMEOUT + ": see that class's failure first");
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted", e);
            }
        }
    }

    /** A shared cluster in the root store of the run: JUnit closes it when the run ends. */
    private record SharedCluster(LocalFlinkCluster cluster) implements ExtensionContext.Store.CloseableResource {
        static SharedCluster start(String name, ClusterSpec spec) {
            try {
                Path home = newWorkDir("shared-" + name).resolve("cluster");
                return new SharedCluster(LocalFlinkCluster.start(FlinkDistribution.fromBuild(), spec, home));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() {
            cluster.close();
        }
    }
}
