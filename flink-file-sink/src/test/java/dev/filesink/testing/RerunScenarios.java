package dev.filesink.testing;

import dev.filesink.FileSink;
import dev.filesink.committer.PermanentCommitFailure;
import dev.filesink.it.ModuloBucketAssigner;
import dev.filesink.rollingpolicies.DefaultRollingPolicy;
import dev.filesink.rollingpolicies.OnCheckpointRollingPolicy;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.ExceptionUtils;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Runs that meet each other's files, played against a real storage: the same job id run twice from scratch, the same
 * job graph submitted twice, and two jobs writing below one base path with the same part prefix. Every storage
 * module runs them through its own {@link StorageUnderTest}.
 */
public final class RerunScenarios {

    private static final long RECORDS_PER_RUN = 20_000;
    private static final int BUCKETS = 4;

    private final StorageUnderTest storage;

    public RerunScenarios(StorageUnderTest storage) {
        this.storage = storage;
    }

    /** What a scenario needs of a storage: a sink on it, and a complete listing of what a base path holds. */
    public interface StorageUnderTest {

        /** A row-format builder at {@code dir} (a folder name, unique per scenario) with this storage set. */
        FileSink.DefaultRowFormatBuilder<String> rowFormat(String dir);

        /** Every finished (visible) part file below {@code dir}, by its path relative to {@code dir}. */
        Map<String, byte[]> finished(String dir) throws Exception;

        /**
         * Everything unfinished below {@code dir}: in-progress or pending files, staging objects, open multipart
         * uploads, blobs with uncommitted blocks.
         */
        List<String> unfinished(String dir) throws Exception;

        /** The target (relative to {@code dir}) of some part file in progress below {@code dir}, if one shows. */
        Optional<String> inProgressTarget(String dir) throws Exception;

        /** Writes a finished file at {@code relativePath} below {@code dir}, as a user or another tool would. */
        void placeByHand(String dir, String relativePath, byte[] content) throws Exception;

        /** The cluster configuration of the scenario's jobs (a storage may need client settings). */
        default Configuration clusterConfig() {
            return Jobs.restarting();
        }
    }

    /**
     * A pinned job id (application mode with HA, a stateless redeploy) run twice from scratch into the same base
     * path: the second run's records all become visible, and nothing the first run committed changes.
     */
    public void sameJobIdRunTwiceKeepsBothRuns(String dir) throws Exception {
        String jobId = JobID.generate().toHexString();

        run(dir, jobId, sink(dir), 0);
        Map<String, byte[]> firstRun = storage.finished(dir);
        assertRecords(firstRun, RECORDS_PER_RUN);

        run(dir, jobId, sink(dir), RECORDS_PER_RUN);
        Map<String, byte[]> bothRuns = storage.finished(dir);
        assertUnchanged(firstRun, bothRuns);
        assertRecords(bothRuns, 2 * RECORDS_PER_RUN);
        assertThat(storage.unfinished(dir)).as("unfinished files after two runs").isEmpty();
    }

    /**
     * The very same job graph (so the same sink instance) submitted twice with a pinned job id: its part file names
     * repeat, so its commits meet the first run's files. The job fails with an error that names the target, nothing
     * the first run committed changes, and the job does not succeed while records are missing.
     */
    public void sameJobGraphRunTwiceFailsLoudlyAndOverwritesNothing(String dir) throws Exception {
        String jobId = JobID.generate().toHexString();
        FileSink<String> sameSink = sink(dir);

        run(dir, jobId, sameSink, 0);
        Map<String, byte[]> firstRun = storage.finished(dir);
        assertRecords(firstRun, RECORDS_PER_RUN);

        assertThatThrownBy(() -> run(dir, jobId, sameSink, RECORDS_PER_RUN))
                .satisfies(failure -> {
                    Optional<PermanentCommitFailure> conflict =
                            ExceptionUtils.findThrowable(failure, PermanentCommitFailure.class);
                    assertThat(conflict).as("the job failed on a commit conflict: %s", failure).isPresent();
                    assertThat(conflict.get()).hasMessageContaining(dir).hasMessageContaining("part-");
                });
        Map<String, byte[]> after = storage.finished(dir);
        assertUnchanged(firstRun, after);
        List<String> lines = lines(after);
        assertThat(lines.stream().filter(line -> TestRecords.idOf(line) < RECORDS_PER_RUN))
                .as("the first run's records").hasSize((int) RECORDS_PER_RUN).doesNotHaveDuplicates();
        assertThat(lines).as("no record twice").doesNotHaveDuplicates();
    }

    /**
     * Two jobs with the same part prefix write below one base path at the same time, one of them failing over
     * twice (each restart looks for its orphans): both jobs' records are all there, exactly once.
     */
    public void twoJobsSharingABasePathKeepEachOthersFiles(String dir) throws Exception {
        FailureInjector<String> failures = FailureInjector.plan().atRecord(3_000).afterCheckpointComplete(2).build();
        JobClient quiet = start(dir, JobID.generate().toHexString(), sink(dir), 0, null);
        JobClient failing = start(dir, JobID.generate().toHexString(), sink(dir), RECORDS_PER_RUN, failures);
        quiet.getJobExecutionResult().get();
        failing.getJobExecutionResult().get();

        assertThat(failures.fired()).as("injected failures that fired").isEqualTo(failures.planned());
        assertRecords(storage.finished(dir), 2 * RECORDS_PER_RUN);
        assertThat(storage.unfinished(dir)).as("unfinished files after both jobs").isEmpty();
    }

    /**
     * A file placed by hand at the target of a part file in progress, before its checkpoint commits it: the job
     * fails with an error that names the target, and the file placed by hand stays as it was.
     */
    public void aFilePlacedAtATargetByHandFailsTheJob(String dir) throws Exception {
        byte[] byHand = "placed here by hand\n".getBytes(StandardCharsets.UTF_8);
        Configuration conf = storage.clusterConfig();
        conf.setString("restart-strategy.fixed-delay.attempts", "2");
        // The first checkpoint, which commits the first part files, comes a second after the start: time enough to
        // see a file in progress and put a file at its target.
        StreamExecutionEnvironment env = Jobs.streaming(1, 1_000, conf);
        Jobs.records(env, 6_000, 2_000)
                .sinkTo(storage.rowFormat(dir).withRollingPolicy(OnCheckpointRollingPolicy.build()).build());

        AtomicReference<Object> placed = new AtomicReference<>();
        Thread placer = new Thread(() -> placed.set(placeAtFirstTarget(dir, byHand)));
        placer.start();
        assertThatThrownBy(() -> env.execute("a file placed at a target by hand in " + dir))
                .satisfies(failure -> {
                    placer.join();
                    assertThat(placed.get()).as("placed by hand").isInstanceOf(String.class);
                    Optional<PermanentCommitFailure> conflict =
                            ExceptionUtils.findThrowable(failure, PermanentCommitFailure.class);
                    assertThat(conflict).as("failed on the conflict: %s", failure).isPresent();
                    assertThat(conflict.get()).hasMessageContaining((String) placed.get());
                });
        Map<String, byte[]> finished = storage.finished(dir);
        assertThat(finished.get((String) placed.get())).as("the file placed by hand").isEqualTo(byHand);
        assertThat(lines(finished).stream().filter(line -> line.startsWith("record-")))
                .as("records committed before the job failed").doesNotHaveDuplicates();
    }

    /** Returns the target the file was placed at, or the failure that kept it from being placed. */
    private Object placeAtFirstTarget(String dir, byte[] content) {
        try {
            long deadline = System.currentTimeMillis() + 60_000;
            while (System.currentTimeMillis() < deadline) {
                Optional<String> target = storage.inProgressTarget(dir);
                if (target.isPresent()) {
                    storage.placeByHand(dir, target.get(), content);
                    return target.get();
                }
                Thread.sleep(5);
            }
            return new AssertionError("no part file in progress showed below " + dir);
        } catch (Exception e) {
            return e;
        }
    }

    private FileSink<String> sink(String dir) {
        return storage.rowFormat(dir)
                .withRollingPolicy(DefaultRollingPolicy.builder()
                        .withMaxPartSize(256 * 1024)
                        .withRolloverInterval(Duration.ofSeconds(1))
                        .build())
                // RECORDS_PER_RUN is a multiple of the bucket count: a second run's first record of each subtask goes
                // to the same bucket as the first run's, so a repeated name meets its twin in the same folder.
                .withBucketAssigner(new ModuloBucketAssigner(BUCKETS))
                .withBucketCheckInterval(200)
                .build();
    }

    private void run(String dir, String jobId, FileSink<String> sink, long firstRecord) throws Exception {
        start(dir, jobId, sink, firstRecord, null).getJobExecutionResult().get();
    }

    private JobClient start(
            String dir, String jobId, FileSink<String> sink, long firstRecord, FailureInjector<String> failures)
            throws Exception {
        Configuration conf = storage.clusterConfig();
        conf.setString("$internal.pipeline.job-id", jobId);
        // Few restarts: a job that fails for good (a conflict) must end, not retry for minutes.
        conf.setString("restart-strategy.fixed-delay.attempts", "3");
        StreamExecutionEnvironment env = Jobs.streaming(2, 300, conf);
        DataStream<String> records = Jobs.records(env, RECORDS_PER_RUN, 10_000).map(new Shift(firstRecord));
        if (failures != null) {
            records = records.map(failures);
        }
        records.sinkTo(sink);
        return env.executeAsync("rerun scenario in " + dir + " from record " + firstRecord);
    }

    private static void assertRecords(Map<String, byte[]> files, long count) {
        FinishedFiles.assertRecordsExactlyOnce(lines(files), count);
    }

    private static void assertUnchanged(Map<String, byte[]> before, Map<String, byte[]> after) {
        for (Map.Entry<String, byte[]> file : before.entrySet()) {
            assertThat(after).as("files after the second run").containsKey(file.getKey());
            assertThat(after.get(file.getKey())).as("content of %s", file.getKey()).isEqualTo(file.getValue());
        }
    }

    private static List<String> lines(Map<String, byte[]> files) {
        List<String> lines = new ArrayList<>();
        for (byte[] content : files.values()) {
            String text = new String(content, StandardCharsets.UTF_8);
            for (String line : text.split("\n")) {
                if (!line.isEmpty()) {
                    lines.add(line);
                }
            }
        }
        return lines;
    }

    /** Moves the test records by a fixed offset, so that two runs write different records. */
    private static final class Shift implements MapFunction<String, String> {
        private static final long serialVersionUID = 1L;
        private final long offset;

        Shift(long offset) {
            this.offset = offset;
        }

        @Override
        public String map(String line) {
            return offset == 0 ? line : TestRecords.record(TestRecords.idOf(line) + offset);
        }
    }
}
