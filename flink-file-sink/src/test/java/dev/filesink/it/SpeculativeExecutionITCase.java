package dev.filesink.it;

import dev.filesink.FileSink;
import dev.filesink.testing.FinishedFiles;
import dev.filesink.testing.Jobs;
import dev.filesink.writer.WriterIdentity;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.serialization.SimpleStringEncoder;
import org.apache.flink.configuration.BatchExecutionOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.SlowTaskDetectorOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.BasePathBucketAssigner;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * BATCH with speculative execution: subtask 0's first attempt stalls after it has written part of its input, a
 * speculative attempt of the same subtask (the whole chain: source, map, sink writer) finishes first, and the slow
 * attempt is cancelled. Every record is in a finished file exactly once, the finished files of subtask 0 carry the
 * speculative attempt's uid, and nothing of the slow attempt is left.
 */
class SpeculativeExecutionITCase {

    private static final long COUNT = 40_000;
    private static final int PARALLELISM = 4;
    /** Records subtask 0's first attempt writes before it stalls: more than a write buffer, so bytes are on disk. */
    private static final int RECORDS_BEFORE_STALL = 3_000;

    /** Records seen per attempt of subtask 0 (the MiniCluster runs in this JVM). */
    private static final Map<Integer, AtomicInteger> SUBTASK0_RECORDS = new ConcurrentHashMap<>();
    private static final AtomicBoolean SLOW_ATTEMPT_INTERRUPTED = new AtomicBoolean();

    @TempDir
    Path dir;

    @Test
    void aSpeculativeAttemptWinsAndTheSlowAttemptLeavesNothing() throws Exception {
        Configuration conf = Jobs.restarting();
        conf.set(BatchExecutionOptions.SPECULATIVE_ENABLED, true);
        // One TaskManager: the slow "node" must not be blocked, or the speculative attempt has nowhere to run.
        conf.set(BatchExecutionOptions.BLOCK_SLOW_NODE_DURATION, Duration.ZERO);
        conf.set(SlowTaskDetectorOptions.CHECK_INTERVAL, Duration.ofMillis(100));
        conf.set(SlowTaskDetectorOptions.EXECUTION_TIME_BASELINE_LOWER_BOUND, Duration.ofMillis(300));
        conf.set(TaskManagerOptions.NUM_TASK_SLOTS, 2 * PARALLELISM);
        StreamExecutionEnvironment env = Jobs.batch(PARALLELISM, conf);

        FileSink<String> sink = FileSink
                .forRowFormat(new org.apache.flink.core.fs.Path(dir.toUri()), new SimpleStringEncoder<String>())
                .withBucketAssigner(new BasePathBucketAssigner<>())
                .build();
        Jobs.records(env, COUNT, 0).map(new StallFirstAttemptOfSubtask0()).sinkTo(sink);
        JobExecutionResult result = env.execute("speculative-execution");

        assertThat(sink.expectsConcurrentAttempts()).as("the sink saw speculative execution in the job").isTrue();
        assertThat(SLOW_ATTEMPT_INTERRUPTED).as("the slow attempt was cancelled").isTrue();
        assertThat(SUBTASK0_RECORDS.get(0).get()).as("the slow attempt wrote before it stalled")
                .isGreaterThanOrEqualTo(RECORDS_BEFORE_STALL);
        List<Integer> speculativeAttempts = SUBTASK0_RECORDS.keySet().stream().filter(a -> a > 0).toList();
        assertThat(speculativeAttempts).as("speculative attempts of subtask 0").isNotEmpty();

        // The slow attempt discards its files when its cancellation closes the writer, which may come just after
        // the job finished.
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!FinishedFiles.hidden(dir).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        FinishedFiles.assertExactlyOnce(dir, COUNT);

        String jobId = result.getJobID().toHexString();
        String slowUid = uid(sink, jobId, 0);
        List<String> names = FinishedFiles.visible(dir).stream().map(p -> p.getFileName().toString()).toList();
        assertThat(names).noneMatch(name -> name.contains(slowUid));
        assertThat(speculativeAttempts)
                .as("a speculative attempt's files were committed: %s", names)
                .anyMatch(attempt -> names.stream().anyMatch(name -> name.contains(uid(sink, jobId, attempt))));
    }

    private static String uid(FileSink<String> sink, String jobId, int attempt) {
        return WriterIdentity.derive(List.of(), sink.runToken(), jobId, 0, OptionalLong.empty(), attempt, true).uid();
    }

    /** Passes records on; the first attempt of subtask 0 stalls until it is cancelled (at most two minutes). */
    private static final class StallFirstAttemptOfSubtask0 extends RichMapFunction<String, String> {

        private transient boolean slow;
        private transient AtomicInteger seen;

        @Override
        public void open(OpenContext openContext) {
            int subtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
            int attempt = getRuntimeContext().getTaskInfo().getAttemptNumber();
            slow = subtask == 0 && attempt == 0;
            seen = subtask == 0 ? SUBTASK0_RECORDS.computeIfAbsent(attempt, a -> new AtomicInteger()) : null;
        }

        @Override
        public String map(String record) throws Exception {
            if (seen != null && seen.incrementAndGet() == RECORDS_BEFORE_STALL && slow) {
                try {
                    Thread.sleep(Duration.ofMinutes(2).toMillis());
                } catch (InterruptedException cancelled) {
                    SLOW_ATTEMPT_INTERRUPTED.set(true);
                    throw cancelled;
                }
            }
            return record;
        }
    }
}
