package dev.filesink.s3.it;

import dev.filesink.FileSink;
import dev.filesink.it.ModuloBucketAssigner;
import dev.filesink.rollingpolicies.DefaultRollingPolicy;
import dev.filesink.s3.S3Destination;
import dev.filesink.s3.S3Storage;
import dev.filesink.s3.testing.FaultProxy;
import dev.filesink.s3.testing.S3Server;
import dev.filesink.testing.FailureInjector;
import dev.filesink.testing.Jobs;
import dev.filesink.testing.VisibleOutputWatcher;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.serialization.SimpleStringEncoder;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Exactly-once MiniCluster jobs into a real S3 server (s3proxy), with failures injected into the job (at records,
 * during checkpoints, between commit and acknowledgement), into the server (failed persists, an outage, throttling),
 * and every record read back and counted.
 */
class S3ExactlyOnceITCase {

    private static final String BUCKET = "exactly-once";
    private static final int MIB = 1024 * 1024;
    private static final AtomicLong RECORDS_SEEN = new AtomicLong();
    private static S3Server server;

    @BeforeAll
    static void startServer() throws Exception {
        server = S3Server.startWithFaults();
        server.createBucket(BUCKET);
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    private static FileSink<String> sink(String prefix, S3Destination destination, int buckets, long maxPartSize) {
        return FileSink.forRowFormat(new Path("s3://" + BUCKET + "/" + prefix), new SimpleStringEncoder<String>())
                .withStorage(S3Storage.of(destination))
                .withBucketAssigner(new ModuloBucketAssigner(buckets))
                .withRollingPolicy(DefaultRollingPolicy.builder()
                        .withMaxPartSize(maxPartSize)
                        .withRolloverInterval(Duration.ofMinutes(10))
                        .build())
                .withBucketCheckInterval(200)
                .build();
    }

    @Test
    void streamingWithFailuresBetweenPartsDuringPersistAndAfterCommitIsExactlyOnce() throws Exception {
        long count = 300_000;
        String prefix = "streaming/";
        StreamExecutionEnvironment env = Jobs.streaming(2, 500);
        FailureInjector<String> failures = FailureInjector.plan()
                .atRecord(45_000)
                .duringCheckpoint(3)
                .afterCheckpointComplete(2)
                .atRecord(60_000)
                .build();
        Jobs.records(env, count, 40_000)
                .map(failures)
                .sinkTo(sink(prefix, server.destination().build(), 2, 7 * MIB));

        Thread persistFaults = new Thread(() -> {
            try {
                Thread.sleep(4_000);
                // Fails every attempt of a staged-tail PUT for a while: persist() fails, the job fails over.
                server.faults().failPuts("_filesink-staging/", 12);
            } catch (InterruptedException ignored) {
                // Test over.
            }
        });
        persistFaults.start();
        try (VisibleOutputWatcher watcher = S3Objects.watch(server, BUCKET, prefix, () -> true)) {
            env.execute("S3 streaming exactly-once with failures");
            assertThat(failures.fired()).as("injected failures that fired").isEqualTo(failures.planned());
            assertThat(watcher.violations()).isEmpty();
        }
        persistFaults.join();
        assertThat(server.faults().failedPuts()).as("persist failures injected").isPositive();
        S3Objects.assertExactlyOnce(server, BUCKET, prefix, count);
        assertThat(S3Objects.finished(server, BUCKET, prefix)).allSatisfy(key ->
                assertThat(key).matches("streaming/bucket-[01]/part-[0-9a-f-]{36}-\\d+"));
    }

    @Test
    void batchWithFailuresIsExactlyOnceAndLeavesNoUploadOpen() throws Exception {
        long count = 200_000;
        String prefix = "batch/";
        StreamExecutionEnvironment env = Jobs.batch(2);
        FailureInjector<String> failures = FailureInjector.plan().onAnySubtask().atRecord(30_000).atRecord(70_000).build();
        Jobs.records(env, count, 0)
                .map(failures)
                .sinkTo(sink(prefix, server.destination().build(), 3, 6 * MIB));
        env.execute("S3 batch exactly-once with failures");
        assertThat(failures.fired()).as("injected failures that fired").isEqualTo(failures.planned());
        S3Objects.assertExactlyOnce(server, BUCKET, prefix, count);
    }

    @Test
    void noObjectIsVisibleBeforeItsCheckpointCompletes() throws Exception {
        long count = 30_000;
        String prefix = "visibility/";
        RECORDS_SEEN.set(0);
        // The first checkpoint comes only after 15 s, the input ends after about 3 s, and files roll every 64 KiB:
        // nothing may show up before every record has passed (the final checkpoint then commits everything).
        StreamExecutionEnvironment env = Jobs.streaming(2, 15_000);
        env.getCheckpointConfig().setMinPauseBetweenCheckpoints(15_000 - 1);
        Jobs.records(env, count, 10_000)
                .map(new CountRecords())
                .sinkTo(sink(prefix, server.destination().build(), 3, 64 * 1024));
        try (VisibleOutputWatcher watcher = S3Objects.watch(
                server, BUCKET, prefix, () -> RECORDS_SEEN.get() >= count)) {
            env.execute("S3 visibility");
            assertThat(watcher.violations()).isEmpty();
        }
        S3Objects.assertExactlyOnce(server, BUCKET, prefix, count);
        assertThat(S3Objects.finished(server, BUCKET, prefix).size()).isGreaterThan(20);
    }

    @Test
    void anOutageOfTheServerLosesNothing() throws Exception {
        long count = 150_000;
        String prefix = "outage/";
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(patientRestarts());
        env.setRuntimeMode(RuntimeExecutionMode.STREAMING);
        env.setParallelism(2);
        env.enableCheckpointing(300);
        Jobs.records(env, count, 25_000).sinkTo(sink(prefix, server.destination().build(), 2, 7 * MIB));

        Thread outage = new Thread(() -> {
            try {
                Thread.sleep(2_000);
                server.stopProxy();
                Thread.sleep(3_000);
                server.startProxy();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        outage.start();
        env.execute("S3 outage");
        outage.join();
        S3Objects.assertExactlyOnce(server, BUCKET, prefix, count);
    }

    @Test
    void throttlingAndServerErrorsForAWhileAreAbsorbedByRetries() throws Exception {
        long count = 100_000;
        String prefix = "throttled/";
        try (FaultProxy proxy = new FaultProxy(server.port())) {
            S3Destination destination = S3Server.destination(proxy.endpoint())
                    .retries(30, Duration.ofMillis(50), Duration.ofMillis(400))
                    .build();
            Configuration noRestarts = new Configuration();
            noRestarts.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(noRestarts);
            env.setRuntimeMode(RuntimeExecutionMode.STREAMING);
            env.setParallelism(2);
            env.enableCheckpointing(300);
            Jobs.records(env, count, 25_000).sinkTo(sink(prefix, destination, 2, 7 * MIB));
            Thread faults = new Thread(() -> {
                try {
                    while (proxy.connectionsForwarded() < 4) {
                        Thread.sleep(20);
                    }
                    Thread.sleep(500);
                    proxy.failFor(Duration.ofMillis(1_200), 503);
                    Thread.sleep(1_500);
                    proxy.failFor(Duration.ofMillis(800), 500);
                } catch (InterruptedException ignored) {
                    // Test over.
                }
            });
            faults.start();
            env.execute("S3 throttled");
            faults.join();
            assertThat(proxy.faultsServed()).as("faults injected").isPositive();
        }
        S3Objects.assertExactlyOnce(server, BUCKET, prefix, count);
    }

    private static Configuration patientRestarts() {
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 100);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(300));
        return conf;
    }

    /** Counts records on their way to the sink (the MiniCluster runs in this JVM). */
    private static final class CountRecords implements MapFunction<String, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String map(String value) {
            RECORDS_SEEN.incrementAndGet();
            return value;
        }
    }
}
