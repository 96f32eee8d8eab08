package dev.filesink.s3.it;

import dev.filesink.FileSink;
import dev.filesink.it.ModuloBucketAssigner;
import dev.filesink.rollingpolicies.DefaultRollingPolicy;
import dev.filesink.s3.S3Storage;
import dev.filesink.s3.testing.S3Server;
import dev.filesink.testing.FailureInjector;
import dev.filesink.testing.FinishedFiles;
import dev.filesink.testing.Jobs;
import dev.filesink.testing.RescaleRuns;
import dev.filesink.testing.TestRecords;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.serialization.SimpleStringEncoder;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Staging objects across changes of parallelism: a job that is stopped with a savepoint (or fails with its checkpoint
 * retained) while its part files have staged tails, and is resumed at another parallelism, leaves nothing behind in
 * the whole bucket: every record once in finished objects, no staging object, no open upload.
 */
class S3RescaleCleanupITCase {

    private static final long RECORDS = 90_000;
    /** About 1.5 MB/s of 100-byte records: at 300 ms checkpoints, tails soon outgrow the 64 KiB kept inline. */
    private static final double RATE = 15_000;
    private static final String STAGING = "out/_filesink-staging/";
    /** Records that reached the sink's input, over all jobs of a test (the MiniCluster runs in this JVM). */
    private static final AtomicLong SEEN = new AtomicLong();

    private static S3Server server;
    private static RescaleRuns runs;

    @TempDir static java.nio.file.Path savepoints;
    @TempDir java.nio.file.Path checkpoints;

    private String bucket;

    @BeforeAll
    static void start() throws Exception {
        server = S3Server.start();
        runs = RescaleRuns.start(4, savepoints);
    }

    @AfterAll
    static void stop() throws Exception {
        runs.close();
        server.close();
    }

    @BeforeEach
    void createBucket() {
        SEEN.set(0);
        bucket = "rescale-" + UUID.randomUUID().toString().substring(0, 8);
        server.createBucket(bucket);
    }

    @Test
    void savepointAtTwoRestoredAtOneLeavesNothingBehind() throws Exception {
        JobID first = runs.submit(job(2, null, 0), null);
        String savepoint = runs.stopWithSavepointWhen(first, () -> SEEN.get() >= 30_000);
        assertTailsStaged();

        JobID second = runs.submit(job(1, null, 0), savepoint);
        runs.awaitSuccess(second);
        assertBucketHoldsExactlyTheRecords();
    }

    @Test
    void savepointAtTwoThenThreeThenOneLeavesNothingBehind() throws Exception {
        JobID first = runs.submit(job(2, null, 0), null);
        String savepoint1 = runs.stopWithSavepointWhen(first, () -> SEEN.get() >= 30_000);
        assertTailsStaged();

        JobID second = runs.submit(job(3, null, 0), savepoint1);
        String savepoint2 = runs.stopWithSavepointWhen(second, () -> SEEN.get() >= 60_000);
        assertTailsStaged();

        JobID third = runs.submit(job(1, null, 0), savepoint2);
        runs.awaitSuccess(third);
        assertBucketHoldsExactlyTheRecords();
    }

    @Test
    void failureRestoredFromRetainedCheckpointAtLowerParallelismLeavesNothingBehind() throws Exception {
        // Subtask 0 fails at its 18,000th record (after about 2.4 s), but not before 2 checkpoints completed: a busy
        // machine may deploy the tasks late, and the test needs a retained checkpoint whose state names staged tails.
        // The job does not restart.
        JobID first = runs.submit(job(2, checkpoints, 18_000), null);
        runs.awaitFailure(first);
        String checkpoint = RescaleRuns.latestRetainedCheckpoint(checkpoints);
        assertTailsStaged();

        JobID second = runs.submit(job(1, null, 0), checkpoint);
        runs.awaitSuccess(second);
        assertBucketHoldsExactlyTheRecords();
    }

    @Test
    void stopWithDrainWhileFilesAreInProgressLeavesNothingBehind() throws Exception {
        JobID first = runs.submit(job(2, null, 0), null);
        runs.stopWithSavepointWhen(first, () -> SEEN.get() >= 30_000, true);
        // The input ended: every file rolled and was committed, with the staged tails it had superseded.
        List<String> left = new ArrayList<>();
        for (String key : server.keys(bucket, "")) {
            if (!key.matches("out/bucket-[01]/part-[0-9a-f-]{36}-\\d+")) {
                left.add(key);
            }
        }
        assertThat(left).as("objects other than finished part files").isEmpty();
        assertThat(server.openUploads(bucket, "")).as("multipart uploads left open").isEmpty();
        // The input's splits stop wherever they are: every record that reached the sink, once.
        List<String> lines = S3Objects.lines(server, bucket, "out/");
        assertThat(lines).as("records in finished objects").hasSize((int) SEEN.get()).doesNotHaveDuplicates();
        assertThat(lines).allMatch(line -> line.equals(TestRecords.record(TestRecords.idOf(line))));
    }

    private StreamExecutionEnvironment job(int parallelism, java.nio.file.Path retainedCheckpoints, long failAtRecord) {
        StreamExecutionEnvironment env = RescaleRuns.environment(parallelism, 300, retainedCheckpoints);
        FailureInjector.Plan plan = FailureInjector.plan();
        if (failAtRecord > 0) {
            plan.atRecordAfterCheckpoints(failAtRecord, 2);
        }
        Jobs.records(env, RECORDS, RATE).uid("records")
                .map(plan.<String>build()).uid("failures")
                .map(new CountRecords()).uid("count")
                .sinkTo(FileSink.forRowFormat(new Path("s3://" + bucket + "/out"), new SimpleStringEncoder<String>())
                        .withStorage(S3Storage.of(server.destination().build()))
                        .withBucketAssigner(new ModuloBucketAssigner(2))
                        .withRollingPolicy(DefaultRollingPolicy.builder()
                                .withRolloverInterval(Duration.ofSeconds(3))
                                .withInactivityInterval(Duration.ofSeconds(2))
                                .withMaxPartSize(12L * 1024 * 1024)
                                .build())
                        .withBucketCheckInterval(200)
                        .build())
                .uid("file-sink");
        return env;
    }

    /** Counts records on their way to the sink. */
    private static final class CountRecords implements MapFunction<String, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String map(String value) {
            SEEN.incrementAndGet();
            return value;
        }
    }

    /** The stopped job's state names staged tails: the case that leaked. */
    private void assertTailsStaged() {
        assertThat(server.keys(bucket, STAGING)).as("staged tails at the savepoint or checkpoint (bucket: %s)",
                server.keys(bucket, "")).isNotEmpty();
    }

    /** Lists the whole bucket: finished part objects holding every record once, and nothing else. */
    private void assertBucketHoldsExactlyTheRecords() {
        List<String> all = server.keys(bucket, "");
        List<String> unexpected = new ArrayList<>();
        for (String key : all) {
            if (!key.matches("out/bucket-[01]/part-[0-9a-f-]{36}-\\d+")) {
                unexpected.add(key);
            }
        }
        assertThat(unexpected).as("objects other than finished part files (staging objects, ...)").isEmpty();
        assertThat(server.openUploads(bucket, "")).as("multipart uploads left open").isEmpty();
        FinishedFiles.assertRecordsExactlyOnce(S3Objects.lines(server, bucket, "out/"), RECORDS);
        System.out.printf("Bucket %s after the last job: %d finished part objects, nothing else%n", bucket, all.size());
    }
}
