package dev.filesink.e2e;

import dev.filesink.e2e.cluster.CliResult;
import dev.filesink.e2e.cluster.LocalFlinkCluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Submitting the example job to a test cluster and following it. */
public final class ClusterJobs {

    private ClusterJobs() {}

    /** {@code flink run -d}: returns the job id once the job is submitted. */
    public static String submit(LocalFlinkCluster cluster, int parallelism, String savepoint, ExampleJobArgs args) {
        CliResult submitted = cluster.cli().submitDetached(parallelism, savepoint, args.toList());
        assertThat(submitted.succeeded()).as("submission failed:%n%s", submitted).isTrue();
        return submitted.jobId().orElseThrow(() -> new AssertionError("No job id in the CLI output:\n" + submitted));
    }

    /** Waits for the job to finish; fails at once, with the job's exception, if it fails or is canceled. */
    public static void awaitFinished(LocalFlinkCluster cluster, String jobId, Duration timeout) {
        Await.until("job " + jobId + " to finish", timeout, () -> {
            String state = cluster.rest().jobState(jobId);
            if (state.equals("FAILED") || state.equals("CANCELED")) {
                throw new AssertionError("Job " + jobId + " is " + state + ": " + cluster.rest().rootException(jobId));
            }
            return state.equals("FINISHED");
        }, () -> "it is " + cluster.rest().jobState(jobId));
    }

    /** Waits until the job has this many completed checkpoints and some finished file is visible. */
    public static void awaitProgress(LocalFlinkCluster cluster, String jobId, int checkpoints, Path out) {
        awaitProgress(cluster, jobId, checkpoints, out.toString(), () -> !LocalFolder.visibleFiles(out).isEmpty());
    }

    /** Waits until the job has this many completed checkpoints and the destination shows finished files. */
    public static void awaitProgress(LocalFlinkCluster cluster, String jobId, int checkpoints, String destination,
            java.util.function.BooleanSupplier anyFinished) {
        Await.until(checkpoints + " completed checkpoints of job " + jobId + " and finished files in " + destination,
                Duration.ofSeconds(90),
                () -> cluster.rest().completedCheckpoints(jobId) >= checkpoints && anyFinished.getAsBoolean(),
                () -> "job " + cluster.rest().jobState(jobId) + ", checkpoints " + cluster.rest().completedCheckpoints(jobId));
    }

    /** The parallelism the job's (single, chained) vertex runs at. */
    public static int parallelism(LocalFlinkCluster cluster, String jobId) {
        return cluster.rest().get("jobs/" + jobId).map(j -> j.path("vertices").path(0).path("parallelism").asInt()).orElse(-1);
    }

    /** The newest retained checkpoint of a job: {@code <checkpoints>/<job id>/chk-<n>} with its metadata written. */
    public static Optional<Path> latestCheckpoint(LocalFlinkCluster cluster, String jobId) throws Exception {
        Path jobDir = cluster.checkpointDir().resolve(jobId);
        if (!Files.isDirectory(jobDir)) {
            return Optional.empty();
        }
        try (Stream<Path> dirs = Files.list(jobDir)) {
            return dirs.filter(dir -> dir.getFileName().toString().matches("chk-\\d+"))
                    .filter(dir -> Files.isRegularFile(dir.resolve("_metadata")))
                    .max(Comparator.comparingLong(dir -> Long.parseLong(dir.getFileName().toString().substring(4))));
        }
    }
}
