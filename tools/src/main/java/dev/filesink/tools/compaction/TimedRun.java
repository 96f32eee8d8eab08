package dev.filesink.tools.compaction;

import dev.filesink.tools.BenchmarkSupport;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the benchmark's job (numbered records into one sink, STREAMING with checkpoints, embedded cluster) for a
 * duration or a number of records. A timed run ends with stop-with-savepoint and drain: the input ends, so every
 * sink compacts and commits what it still holds, as at the end of a bounded input.
 */
final class TimedRun {

    /** What the run did; {@code seconds} runs from the first source reader's start to the job's end. */
    record Stats(long records, Map<Integer, Long> perSubtask, double seconds, double drainSeconds,
            String checkpoints, long checkpointAvgMillis, long checkpointMaxMillis) {
        double recordsPerSecond() {
            return records / seconds;
        }

        /** Over the time before the stop only: what the job sustained while records came in. */
        double recordsPerSecondBeforeStop() {
            return records / (seconds - drainSeconds);
        }
    }

    private final int parallelism;
    private final long checkpointMillis;
    private final long seconds;
    private final long records;
    private final long maxBytes;

    /** With {@code records > 0} the input is bounded by count, else by {@code seconds} (or {@code maxBytes}). */
    TimedRun(int parallelism, long checkpointMillis, long seconds, long records, long maxBytes) {
        this.parallelism = parallelism;
        this.checkpointMillis = checkpointMillis;
        this.seconds = seconds;
        this.records = records;
        this.maxBytes = maxBytes;
    }

    Stats run(String name, Sink<String> sink) throws Exception {
        NumberedRecords.reset();
        BenchMetrics.reset();
        Configuration conf = BenchMetrics.configure(new Configuration());
        // A failure makes the run meaningless: fail at once instead of restarting forever (checkpointing's default).
        conf.setString("restart-strategy.type", "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(parallelism);
        env.enableCheckpointing(checkpointMillis);
        DataGeneratorSource<String> source = new DataGeneratorSource<>(
                new NumberedRecords(), records > 0 ? records : Long.MAX_VALUE, Types.STRING);
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "records").sinkTo(sink).name(name).uid("sink");

        Path savepoints = Files.createTempDirectory("compaction-bench-savepoints");
        try (CheckpointWatch checkpoints = new CheckpointWatch()) {
            long submitted = System.nanoTime();
            JobClient job = env.executeAsync(name);
            long stopRequested = 0;
            java.util.concurrent.CompletableFuture<String> stop = null;
            long nextProgress = submitted + TimeUnit.SECONDS.toNanos(15);
            while (!job.getJobExecutionResult().isDone()) {
                Thread.sleep(100);
                long now = System.nanoTime();
                long started = NumberedRecords.firstOpenedNanos();
                if (records <= 0 && stopRequested == 0 && started != 0
                        && (now - started >= TimeUnit.SECONDS.toNanos(seconds)
                                || NumberedRecords.totalGenerated() * NumberedRecords.RECORD_BYTES >= maxBytes)) {
                    stopRequested = now;
                    stop = job.stopWithSavepoint(true, savepoints.toUri().toString(), SavepointFormatType.CANONICAL);
                }
                if (stop != null && stop.isCompletedExceptionally()) {
                    stop.get(); // the stop failed: say why instead of waiting forever
                }
                if (now >= nextProgress) {
                    System.out.printf("    %s: %4.0f s, %,d records%n", name, (now - submitted) / 1e9,
                            NumberedRecords.totalGenerated());
                    nextProgress += TimeUnit.SECONDS.toNanos(15);
                }
            }
            job.getJobExecutionResult().get(); // fails here if the job failed
            long end = System.nanoTime();
            checkpoints.close();
            long start = NumberedRecords.firstOpenedNanos();
            return new Stats(NumberedRecords.totalGenerated(), NumberedRecords.generated(), (end - start) / 1e9,
                    stopRequested == 0 ? 0 : (end - stopRequested) / 1e9, checkpoints.summary(),
                    checkpoints.averageMillis(), checkpoints.maxMillis());
        } finally {
            BenchmarkSupport.deleteRecursively(savepoints);
        }
    }
}
