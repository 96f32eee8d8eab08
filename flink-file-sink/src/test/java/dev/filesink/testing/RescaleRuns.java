package dev.filesink.testing;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * One MiniCluster on which a test runs a job in several steps: stop it with a savepoint, or let it fail with its
 * checkpoints retained, and resume the next job from there at another parallelism.
 */
public final class RescaleRuns implements AutoCloseable {

    private final MiniCluster cluster;
    private final Path savepoints;

    private RescaleRuns(MiniCluster cluster, Path savepoints) {
        this.cluster = cluster;
        this.savepoints = savepoints;
    }

    /** Starts a cluster of one TaskManager with {@code slots} slots; savepoints go below {@code savepoints}. */
    public static RescaleRuns start(int slots, Path savepoints) throws Exception {
        MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder()
                .setConfiguration(Jobs.restarting())
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(slots)
                .build());
        cluster.start();
        return new RescaleRuns(cluster, savepoints);
    }

    /**
     * A STREAMING environment for one step: the given parallelism, max parallelism 12, checkpoints at the interval;
     * with a checkpoint directory, checkpoints are retained when the job fails and a failure is not restarted.
     */
    public static StreamExecutionEnvironment environment(int parallelism, long checkpointMs, Path retainedCheckpoints) {
        Configuration conf = new Configuration();
        if (retainedCheckpoints != null) {
            conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
            conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
            conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, retainedCheckpoints.toUri().toString());
            conf.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                    ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(parallelism);
        env.setMaxParallelism(12);
        env.enableCheckpointing(checkpointMs);
        return env;
    }

    /** Submits the job built in {@code env}, restored from {@code restorePath} (a savepoint or checkpoint) if given. */
    public JobID submit(StreamExecutionEnvironment env, String restorePath) throws Exception {
        StreamGraph graph = env.getStreamGraph();
        graph.setJobId(new JobID());
        graph.setSavepointRestoreSettings(restorePath == null
                ? SavepointRestoreSettings.none() : SavepointRestoreSettings.forPath(restorePath));
        return cluster.submitJob(graph).get().getJobID();
    }

    /**
     * Stops the job with a savepoint as soon as {@code ready} says so (checked every 10 ms, for at most a minute) and
     * returns the savepoint's path. A condition on the records seen, rather than a time, keeps a slow start (a cold
     * JVM, a busy machine) from changing what the savepoint holds.
     */
    public String stopWithSavepointWhen(JobID job, BooleanSupplier ready) throws Exception {
        return stopWithSavepointWhen(job, ready, false);
    }

    /** As {@link #stopWithSavepointWhen(JobID, BooleanSupplier)}; with {@code drain}, the input ends first. */
    public String stopWithSavepointWhen(JobID job, BooleanSupplier ready, boolean drain) throws Exception {
        awaitRunning(job);
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (!ready.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("job " + job + " did not get ready to stop within a minute");
            }
            Thread.sleep(10);
        }
        return cluster.stopWithSavepoint(job, savepoints.toUri().toString(), drain, SavepointFormatType.CANONICAL)
                .get();
    }

    public void awaitSuccess(JobID job) throws Exception {
        JobResult result = cluster.requestJobResult(job).get();
        if (!result.isSuccess()) {
            throw new AssertionError("job " + job + " failed",
                    result.getSerializedThrowable().map(t -> t.deserializeError(getClass().getClassLoader())).orElse(null));
        }
    }

    /** Waits for the job to fail for good (no restarts). */
    public void awaitFailure(JobID job) throws Exception {
        JobResult result = cluster.requestJobResult(job).get();
        if (result.isSuccess()) {
            throw new AssertionError("job " + job + " was expected to fail but succeeded");
        }
    }

    /** The latest checkpoint retained below the directory ({@code <job id>/chk-<n>} with its metadata). */
    public static String latestRetainedCheckpoint(Path checkpoints) throws IOException {
        try (Stream<Path> files = Files.walk(checkpoints)) {
            return files.filter(path -> path.getFileName().toString().equals("_metadata"))
                    .map(Path::getParent)
                    .filter(dir -> dir.getFileName().toString().startsWith("chk-"))
                    .max(Comparator.comparingLong(dir -> Long.parseLong(dir.getFileName().toString().substring(4))))
                    .orElseThrow(() -> new AssertionError("no retained checkpoint below " + checkpoints))
                    .toUri().toString();
        }
    }

    private void awaitRunning(JobID job) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (cluster.getJobStatus(job).get() != JobStatus.RUNNING) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("job " + job + " is not running after a minute");
            }
            Thread.sleep(20);
        }
    }

    @Override
    public void close() throws Exception {
        cluster.close();
    }
}
