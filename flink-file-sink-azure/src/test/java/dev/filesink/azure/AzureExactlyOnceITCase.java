package dev.filesink.azure;

import dev.filesink.FileSink;
import dev.filesink.azure.testing.Azurite;
import dev.filesink.azure.testing.Blobs;
import dev.filesink.azure.testing.CommitTracking;
import dev.filesink.azure.testing.PersistFailure;
import dev.filesink.it.ModuloBucketAssigner;
import dev.filesink.rollingpolicies.DefaultRollingPolicy;
import dev.filesink.testing.FailureInjector;
import dev.filesink.testing.Jobs;
import dev.filesink.testing.VisibleOutputWatcher;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobListDetails;
import com.azure.storage.blob.models.BlockListType;
import com.azure.storage.blob.models.ListBlobsOptions;

import org.apache.flink.api.common.serialization.SimpleStringEncoder;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/** Exactly-once MiniCluster jobs into Azurite, STREAMING and BATCH, with failures injected. */
class AzureExactlyOnceITCase {

    private static Azurite azurite;

    private String containerName;
    private BlobContainerClient container;

    @BeforeAll
    static void startAzurite() throws IOException {
        azurite = Azurite.inMemory();
    }

    @AfterAll
    static void stopAzurite() {
        azurite.stop();
    }

    @BeforeEach
    void createContainer() {
        containerName = "eo" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
        container = azurite.createContainer(containerName);
    }

    private AzureBlobDestination.Builder destination() {
        return AzureBlobDestination.builder().accountKey(Azurite.KEY).endpoint(azurite.endpoint());
    }

    private Path base() {
        return new Path(azurite.abfsPath(containerName, "out"));
    }

    @Test
    void streamingWithFailuresWritesEveryRecordExactlyOnceAndNothingBeforeItsCheckpoint() throws Exception {
        long count = 12_000;
        StreamExecutionEnvironment env = Jobs.streaming(2, 200);
        // 1 KiB blocks: every part file has many, so the record failure hits between blocks.
        AzureBlobStorage storage = AzureBlobStorage.of(destination().blockSize(1024).build());
        FailureInjector<String> failures = FailureInjector.plan()
                .atRecord(700)
                .duringCheckpoint(2)
                .afterCheckpointComplete(2)
                .atRecord(1_500)
                .build();
        Jobs.records(env, count, 6_000)
                .map(failures)
                .sinkTo(FileSink.forRowFormat(base(), new SimpleStringEncoder<String>())
                        .withStorage(new CommitTracking(storage))
                        .withBucketAssigner(new ModuloBucketAssigner(5))
                        .withRollingPolicy(DefaultRollingPolicy.builder()
                                .withMaxPartSize(16 * 1024)
                                .withRolloverInterval(Duration.ofSeconds(1))
                                .build())
                        .withOutputFileConfig(OutputFileConfig.builder().withPartSuffix(".txt").build())
                        .withBucketCheckInterval(100)
                        .build());

        try (VisibleOutputWatcher watcher = Blobs.watch(container, "out/", name ->
                assertThat(CommitTracking.commitStarted(name))
                        .as("blob %s visible before its checkpoint completed", name)
                        .isTrue())) {
            env.execute("azure streaming exactly-once with failures");
            assertThat(failures.fired()).as("injected failures that fired").isEqualTo(failures.planned());
            assertThat(watcher.violations()).isEmpty();
        }
        Blobs.assertExactlyOnce(container, "out/", count);
        Map<String, Long> blobs = Blobs.visible(container, "out/");
        assertThat(blobs.keySet()).allSatisfy(name -> assertThat(name)
                .matches("out/bucket-[0-4]/part-[0-9a-f-]{36}-\\d+\\.txt"));
        assertThat(blobs.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(count * 99);
    }

    @Test
    void aFailureInsidePersistLosesAndDuplicatesNothing() throws Exception {
        long count = 8_000;
        StreamExecutionEnvironment env = Jobs.streaming(1, 150);
        // Part files stay open over several checkpoints, so persist() runs at every checkpoint; the 6th fails after
        // its blocks were staged.
        PersistFailure storage = new PersistFailure(AzureBlobStorage.of(destination().blockSize(2048).build()), 6);
        Jobs.records(env, count, 4_000)
                .sinkTo(FileSink.forRowFormat(base(), new SimpleStringEncoder<String>())
                        .withStorage(storage)
                        .withBucketAssigner(new ModuloBucketAssigner(2))
                        .withRollingPolicy(DefaultRollingPolicy.builder()
                                .withMaxPartSize(64 * 1024)
                                .withRolloverInterval(Duration.ofHours(1))
                                .build())
                        .build());

        try (VisibleOutputWatcher watcher = Blobs.watch(container, "out/")) {
            env.execute("azure failure inside persist");
            assertThat(watcher.violations()).isEmpty();
        }
        assertThat(PersistFailure.persists()).as("persist calls, the failing one included").isGreaterThan(6);
        Blobs.assertExactlyOnce(container, "out/", count);
    }

    @Test
    void batchWithFailuresWritesEveryRecordExactlyOnce() throws Exception {
        long count = 20_000;
        StreamExecutionEnvironment env = Jobs.batch(2);
        FailureInjector<String> failures = FailureInjector.plan().onAnySubtask().atRecord(3_000).atRecord(6_000).build();
        Jobs.records(env, count, 0)
                .map(failures)
                .sinkTo(FileSink.forRowFormat(base(), new SimpleStringEncoder<String>()).withStorage(AzureBlobStorage.of(destination().blockSize(16 * 1024).build()))
                        .withBucketAssigner(new ModuloBucketAssigner(5))
                        .withRollingPolicy(DefaultRollingPolicy.builder().withMaxRecordCount(1_000).build())
                        .build());

        try (VisibleOutputWatcher watcher = Blobs.watch(container, "out/")) {
            env.execute("azure batch exactly-once with failures");
            assertThat(failures.fired()).as("injected failures that fired").isEqualTo(failures.planned());
            assertThat(watcher.violations()).isEmpty();
        }
        Blobs.assertExactlyOnce(container, "out/", count);
    }

    @Test
    void nothingIsVisibleBeforeACheckpointCompletes() throws Exception {
        // No checkpoint is ever taken: part files roll every KiB but none may be committed while the job runs.
        // (A long checkpoint interval would not do: Flink takes the first checkpoint after a random delay.)
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(Jobs.restarting());
        env.setRuntimeMode(org.apache.flink.api.common.RuntimeExecutionMode.STREAMING);
        env.setParallelism(1);
        Jobs.records(env, 100_000, 2_000)
                .sinkTo(FileSink.forRowFormat(base(), new SimpleStringEncoder<String>()).withStorage(AzureBlobStorage.of(destination().blockSize(512).build()))
                        .withRollingPolicy(DefaultRollingPolicy.builder().withMaxPartSize(1024).build())
                        .build());
        JobClient job = env.executeAsync("azure nothing before checkpoint");
        try {
            long deadline = System.currentTimeMillis() + 30_000;
            while (uncommittedBlobs() < 10 && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            assertThat(uncommittedBlobs()).as("part files staged while the job runs").isGreaterThanOrEqualTo(10);
            assertThat(Blobs.visible(container, "out/")).as("blobs visible before any checkpoint").isEmpty();
        } finally {
            job.cancel().get();
        }
        assertThat(Blobs.visible(container, "out/")).as("blobs visible after cancelling").isEmpty();
    }

    @Test
    void partFilesRollBeforeTheBlockLimit() throws Exception {
        long count = 3_000;
        StreamExecutionEnvironment env = Jobs.streaming(1, 50);
        // Every checkpoint cuts a block; 8 blocks per blob at most, and no other reason to roll. The plain core
        // builder: the blob's stream asks the sink for a new part file, whatever the rolling policy.
        Jobs.records(env, count, 1_500)
                .sinkTo(FileSink.forRowFormat(base(), new SimpleStringEncoder<String>())
                        .withStorage(AzureBlobStorage.of(destination().blockSize(4096).maxBlocksPerBlob(8).build()))
                        .withBucketAssigner(new ModuloBucketAssigner(2))
                        .withRollingPolicy(DefaultRollingPolicy.builder()
                                .withMaxPartSize(1 << 30)
                                .withRolloverInterval(Duration.ofHours(1))
                                .withInactivityInterval(Duration.ofHours(1))
                                .build())
                        .build());
        env.execute("azure block limit");

        Blobs.assertExactlyOnce(container, "out/", count);
        Map<String, Long> blobs = Blobs.visible(container, "out/");
        assertThat(blobs.size()).as("part files rolled for the block limit").isGreaterThan(2);
        for (String name : blobs.keySet()) {
            int blocks = container.getBlobClient(name).getBlockBlobClient()
                    .listBlocks(BlockListType.COMMITTED).getCommittedBlocks().size();
            assertThat(blocks).as("blocks of %s", name).isLessThanOrEqualTo(8);
        }
    }

    private long uncommittedBlobs() {
        List<BlobItem> items = StreamSupport.stream(container.listBlobs(new ListBlobsOptions().setPrefix("out/")
                        .setDetails(new BlobListDetails().setRetrieveUncommittedBlobs(true)), null).spliterator(), false)
                .toList();
        return items.size();
    }
}
