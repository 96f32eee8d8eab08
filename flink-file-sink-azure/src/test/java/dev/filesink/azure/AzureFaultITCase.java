package dev.filesink.azure;

import dev.filesink.FileSink;
import dev.filesink.azure.testing.Azurite;
import dev.filesink.azure.testing.Blobs;
import dev.filesink.it.ModuloBucketAssigner;
import dev.filesink.rollingpolicies.DefaultRollingPolicy;
import dev.filesink.testing.Jobs;
import dev.filesink.testing.VisibleOutputWatcher;

import com.azure.storage.blob.BlobContainerClient;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.serialization.SimpleStringEncoder;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Faults of the service: Azurite going away and coming back, a missing container, a wrong key. */
class AzureFaultITCase {

    @TempDir java.nio.file.Path workspace;

    @Test
    void jobRecoversWhenAzuriteStopsAndComesBackAndLosesNothing() throws Exception {
        try (Azurite azurite = Azurite.onDisk(workspace)) {
            BlobContainerClient container = azurite.createContainer("restart");
            long count = 16_000;
            Configuration conf = Jobs.restarting();
            conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 200);
            conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(250));
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
            env.setRuntimeMode(RuntimeExecutionMode.STREAMING);
            env.setParallelism(2);
            env.enableCheckpointing(200);
            AzureBlobDestination destination = AzureBlobDestination.builder()
                    .accountKey(Azurite.KEY).endpoint(azurite.endpoint()).blockSize(2048)
                    .maxTries(2).retryDelay(Duration.ofMillis(100)).maxRetryDelay(Duration.ofMillis(200))
                    .tryTimeout(Duration.ofSeconds(5))
                    .build();
            Jobs.records(env, count, 2_000)
                    .sinkTo(FileSink.forRowFormat(new Path(azurite.abfsPath("restart", "out")),
                                    new SimpleStringEncoder<String>()).withStorage(AzureBlobStorage.of(destination))
                            .withBucketAssigner(new ModuloBucketAssigner(3))
                            .withRollingPolicy(DefaultRollingPolicy.builder().withMaxPartSize(32 * 1024).build())
                            .build());

            try (VisibleOutputWatcher watcher = Blobs.watch(container, "out/")) {
                JobClient job = env.executeAsync("azure outage");
                long deadline = System.currentTimeMillis() + 60_000;
                while (Blobs.visible(container, "out/").size() < 3 && System.currentTimeMillis() < deadline) {
                    Thread.sleep(100);
                }
                assertThat(Blobs.visible(container, "out/")).as("blobs committed before the outage").isNotEmpty();

                azurite.stopGracefully();
                Thread.sleep(2_000);
                azurite.start();

                job.getJobExecutionResult().get(3, TimeUnit.MINUTES);
                assertThat(watcher.violations()).isEmpty();
            }
            Blobs.assertExactlyOnce(container, "out/", count);
        }
    }

    @Test
    void missingContainerFailsTheJobWithAClearErrorAndIsNotCreated() throws Exception {
        try (Azurite azurite = Azurite.inMemory()) {
            StreamExecutionEnvironment env = failingFast();
            Jobs.records(env, 100, 0)
                    .sinkTo(FileSink.forRowFormat(new Path(azurite.abfsPath("absent-container", "out")),
                                    new SimpleStringEncoder<String>()).withStorage(AzureBlobStorage.of(AzureBlobDestination.builder()
                                            .accountKey(Azurite.KEY).endpoint(azurite.endpoint()).build()))
                            .build());

            assertThatThrownBy(() -> env.execute("missing container"))
                    .satisfies(e -> assertThat(trace(e))
                            .contains("container 'absent-container' of account 'devstoreaccount1'")
                            .contains("the container does not exist (the sink never creates containers"));
            assertThat(azurite.client().getBlobContainerClient("absent-container").exists()).isFalse();
        }
    }

    @Test
    void wrongKeyFailsTheJobWithAClearErrorThatHidesTheKey() throws Exception {
        try (Azurite azurite = Azurite.inMemory()) {
            azurite.createContainer("wrongkey");
            String wrongKey = Base64.getEncoder().encodeToString("not the key of this account at all!".getBytes());
            StreamExecutionEnvironment env = failingFast();
            Jobs.records(env, 100, 0)
                    .sinkTo(FileSink.forRowFormat(new Path(azurite.abfsPath("wrongkey", "out")),
                                    new SimpleStringEncoder<String>()).withStorage(AzureBlobStorage.of(AzureBlobDestination.builder()
                                            .accountKey(wrongKey).endpoint(azurite.endpoint()).maxTries(1).build()))
                            .build());

            assertThatThrownBy(() -> env.execute("wrong key"))
                    .satisfies(e -> assertThat(trace(e))
                            .contains("credentials were rejected")
                            .contains("container 'wrongkey'")
                            .doesNotContain(wrongKey));
        }
    }

    private static StreamExecutionEnvironment failingFast() {
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setRuntimeMode(RuntimeExecutionMode.STREAMING);
        env.setParallelism(1);
        env.enableCheckpointing(1_000);
        return env;
    }

    private static String trace(Throwable error) {
        StringWriter out = new StringWriter();
        error.printStackTrace(new PrintWriter(out));
        return out.toString();
    }
}
