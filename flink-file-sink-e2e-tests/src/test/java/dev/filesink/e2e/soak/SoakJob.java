package dev.filesink.e2e.soak;

import dev.filesink.e2e.ClusterJobs;
import dev.filesink.e2e.ExampleJobArgs;
import dev.filesink.e2e.cluster.CliResult;
import dev.filesink.e2e.cluster.LocalFlinkCluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The example job writing to one store, followed across the run: the job id changes when it is rescaled through a
 * savepoint; the number sequence it reads keeps the splits of the first submission.
 */
final class SoakJob {

    /** Records 0..RECORDS-1: never reached at the soak's rates; ten digits keep every id readable in a line. */
    static final long RECORDS = 2_000_000_000L;

    private final SoakStore store;
    private final ExampleJobArgs args;
    private final int firstParallelism;
    private final List<String> jobIds = new CopyOnWriteArrayList<>();
    private volatile int parallelism;

    SoakJob(SoakStore store, ExampleJobArgs args, int firstParallelism) {
        this.store = store;
        this.args = args;
        this.firstParallelism = firstParallelism;
    }

    SoakStore store() {
        return store;
    }

    String name() {
        return store.name();
    }

    String jobId() {
        return jobIds.get(jobIds.size() - 1);
    }

    List<String> jobIds() {
        return List.copyOf(jobIds);
    }

    int parallelism() {
        return parallelism;
    }

    /** The parallelism of the first submission: it fixed the source's splits. */
    int firstParallelism() {
        return firstParallelism;
    }

    void submit(LocalFlinkCluster cluster) {
        submit(cluster, firstParallelism, null);
    }

    void submit(LocalFlinkCluster cluster, int newParallelism, String savepoint) {
        String jobId = ClusterJobs.submit(cluster, newParallelism, savepoint, args);
        parallelism = newParallelism;
        jobIds.add(jobId);
    }

    /** {@code flink stop [--drain] --savepointPath dir}: returns the savepoint's path, or fails with the CLI's output. */
    String stopWithSavepoint(LocalFlinkCluster cluster, Path savepoints, boolean drain) {
        List<String> cli = drain
                ? List.of("stop", "--drain", "--savepointPath", savepoints.toUri().toString(), jobId())
                : List.of("stop", "--savepointPath", savepoints.toUri().toString(), jobId());
        CliResult stopped = cluster.cli().run(Duration.ofMinutes(3), cli);
        if (!stopped.succeeded()) {
            throw new IllegalStateException("flink stop of the " + name() + " job failed:\n" + stopped);
        }
        ClusterJobs.awaitFinished(cluster, jobId(), Duration.ofMinutes(2));
        return stopped.savepointPath().orElseThrow(() -> new IllegalStateException("No savepoint path in:\n" + stopped));
    }
}
