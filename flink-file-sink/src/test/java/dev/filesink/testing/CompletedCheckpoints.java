package dev.filesink.testing;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.runtime.checkpoint.CheckpointStatsSnapshot;
import org.apache.flink.runtime.minicluster.MiniCluster;

import java.time.Duration;

/**
 * Waits for a MiniCluster job's completed checkpoints. A job that is RUNNING may still be deploying its tasks; a
 * completed checkpoint proves that every task runs and that its state (and the files it names) exists.
 */
public final class CompletedCheckpoints {

    private CompletedCheckpoints() {}

    /** How many checkpoints of the job have completed so far. */
    public static long of(MiniCluster cluster, JobID job) throws Exception {
        CheckpointStatsSnapshot stats = cluster.getArchivedExecutionGraph(job).get().getCheckpointStatsSnapshot();
        return stats == null ? 0 : stats.getCounts().getNumberOfCompletedCheckpoints();
    }

    /** Waits until at least {@code count} checkpoints of the running job have completed; fails if the job ends first. */
    public static void await(MiniCluster cluster, JobID job, long count, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (of(cluster, job) < count) {
            JobStatus status = cluster.getJobStatus(job).get();
            if (status.isTerminalState()) {
                throw new AssertionError("job " + job + " is " + status + " before " + count + " completed checkpoints");
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("job " + job + " has " + of(cluster, job) + " of " + count
                        + " completed checkpoints after " + timeout);
            }
            Thread.sleep(20);
        }
    }
}
