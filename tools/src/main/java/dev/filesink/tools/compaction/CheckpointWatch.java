package dev.filesink.tools.compaction;

import java.util.List;

/**
 * Samples the job manager's checkpoint gauges every 20 ms while a job runs and keeps the duration of each checkpoint
 * that completed (the duration read right after the completed count went up; at 1 s intervals none is missed).
 */
final class CheckpointWatch implements AutoCloseable {

    private final Thread thread;
    private volatile boolean running = true;
    private long lastCompleted;
    private long checkpoints;
    private long samples;
    private long totalMillis;
    private long maxMillis;

    CheckpointWatch() {
        thread = new Thread(this::run, "checkpoint-watch");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        while (running) {
            List<Long> completed = BenchMetrics.gauges("numberOfCompletedCheckpoints");
            List<Long> duration = BenchMetrics.gauges("lastCheckpointDuration");
            if (completed.size() == 1 && duration.size() == 1 && completed.get(0) > lastCompleted) {
                synchronized (this) {
                    checkpoints += completed.get(0) - lastCompleted;
                    lastCompleted = completed.get(0);
                    samples++;
                    totalMillis += duration.get(0);
                    maxMillis = Math.max(maxMillis, duration.get(0));
                }
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** "n completed, avg a ms, max m ms". */
    synchronized String summary() {
        if (checkpoints == 0) {
            return "none completed";
        }
        return String.format("%d, avg %d ms, max %d ms", checkpoints, totalMillis / samples, maxMillis);
    }

    synchronized long averageMillis() {
        return samples == 0 ? 0 : totalMillis / samples;
    }

    synchronized long maxMillis() {
        return maxMillis;
    }

    synchronized long completed() {
        return checkpoints;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join();
    }
}
