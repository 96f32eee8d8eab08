package dev.filesink.azure;

import dev.filesink.FileSink;
import dev.filesink.azure.testing.Azurite;
import dev.filesink.azure.testing.Blobs;
import dev.filesink.azure.testing.CompactionTally;
import dev.filesink.azure.testing.CompactionTally.Count;
import dev.filesink.it.ModuloBucketAssigner;
import dev.filesink.rollingpolicies.DefaultRollingPolicy;
import dev.filesink.testing.CompactionFailureStorage;
import dev.filesink.testing.CompactionFailureStorage.Step;
import dev.filesink.testing.Jobs;
import dev.filesink.testing.LineDecoder;
import dev.filesink.testing.VisibleOutputWatcher;

import com.azure.storage.blob.BlobContainerClient;

import org.apache.flink.api.common.serialization.SimpleStringEncoder;
import org.apache.flink.connector.file.sink.compactor.ConcatFileCompactor;
import org.apache.flink.connector.file.sink.compactor.DecoderBasedReader;
import org.apache.flink.connector.file.sink.compactor.FileCompactStrategy;
import org.apache.flink.connector.file.sink.compactor.RecordWiseFileCompactor;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.OnCheckpointRollingPolicy;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Compaction into Azurite on a MiniCluster: failures injected during a compaction, before the commit of its output
 * and during the cleanup of its inputs (STREAMING and BATCH), and a record-wise compaction. Every record exactly
 * once, no small blob ever visible to readers (the watcher would see it vanish), and at the end no hidden blob and
 * no blob with staged blocks only.
 */
class AzureCompactionITCase {

    private static final Logger LOG = LoggerFactory.getLogger(AzureCompactionITCase.class);
    private static final String COMPACTED = "out/bucket-\\d/compacted-part-[0-9a-f-]{36}-\\d+\\.txt";
    private static final String PART = "out/bucket-\\d/part-[0-9a-f-]{36}-\\d+\\.txt";

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
        containerName = "co" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
        container = azurite.createContainer(containerName);
    }

    private AzureBlobStorage storage() {
        return AzureBlobStorage.of(AzureBlobDestination.builder().accountKey(Azurite.KEY).endpoint(azurite.endpoint())
                .blockSize(16 * 1024).build());
    }

    private Path base() {
        return new Path(azurite.abfsPath(containerName, "out"));
    }

    @Test
    void streamingWithFailuresAtEveryCompactionStep() throws Exception {
        long count = 5_000;
        CompactionTally tally = new CompactionTally(storage().forCompaction());
        CompactionFailureStorage storage = new CompactionFailureStorage(
                tally, Step.DURING_COMPACTION, Step.BEFORE_COMMIT, Step.DURING_INPUT_CLEANUP);
        StreamExecutionEnvironment env = Jobs.streaming(2, 150);
        Jobs.records(env, count, 2_000)
                .sinkTo(FileSink.forRowFormat(base(), new SimpleStringEncoder<String>())
                        .withBucketAssigner(new ModuloBucketAssigner(3))
                        .withRollingPolicy(OnCheckpointRollingPolicy.build())
                        .withOutputFileConfig(OutputFileConfig.builder().withPartSuffix(".txt").build())
                        .withStorage(storage)
                        .enableCompact(
                                FileCompactStrategy.Builder.newBuilder()
                                        .setSizeThreshold(24 * 1024)
                                        .enableCompactionOnCheckpoint(4)
                                        .build(),
                                new ConcatFileCompactor())
                        .build());

        try (VisibleOutputWatcher watcher = Blobs.watchReadable(container, "out/")) {
            env.execute("azure compaction with failures");
            assertThat(watcher.violations()).isEmpty();
        }
        Blobs.assertExactlyOnce(container, "out/", count);
        assertThat(storage.fired(Step.DURING_COMPACTION)).isEqualTo(1);
        assertThat(storage.fired(Step.BEFORE_COMMIT)).isEqualTo(1);
        assertThat(storage.fired(Step.DURING_INPUT_CLEANUP)).isEqualTo(1);
        Map<String, Long> readable = Blobs.readable(container, "out/");
        assertThat(readable.keySet()).allSatisfy(name -> assertThat(name).matches(COMPACTED + "|" + PART));
        assertThat(readable.keySet()).anySatisfy(name -> assertThat(name).matches(COMPACTED));
        assertNothingHiddenOrStagedLeft();
        assertConcatenatedInTheStore(tally, readable);
    }

    @Test
    void batchCompactsEachBucketIntoOneBlobDespiteFailures() throws Exception {
        long count = 6_000;
        CompactionTally tally = new CompactionTally(storage().forCompaction());
        CompactionFailureStorage storage = new CompactionFailureStorage(
                tally, Step.DURING_COMPACTION, Step.BEFORE_COMMIT, Step.DURING_INPUT_CLEANUP);
        StreamExecutionEnvironment env = Jobs.batch(2);
        Jobs.records(env, count, 0)
                .sinkTo(FileSink.forRowFormat(base(), new SimpleStringEncoder<String>())
                        .withBucketAssigner(new ModuloBucketAssigner(3))
                        .withRollingPolicy(DefaultRollingPolicy.builder().withMaxRecordCount(300).build())
                        .withStorage(storage)
                        .enableCompact(
                                FileCompactStrategy.Builder.newBuilder().enableCompactionOnCheckpoint(1).build(),
                                new ConcatFileCompactor())
                        .build());

        try (VisibleOutputWatcher watcher = Blobs.watchReadable(container, "out/")) {
            env.execute("azure batch compaction with failures");
            assertThat(watcher.violations()).isEmpty();
        }
        Blobs.assertExactlyOnce(container, "out/", count);
        assertThat(storage.firedTotal()).isEqualTo(3);
        Map<String, Long> readable = Blobs.readable(container, "out/");
        assertThat(readable.keySet()).hasSize(3).allSatisfy(name -> assertThat(name).contains("/compacted-part-"));
        assertNothingHiddenOrStagedLeft();
        assertConcatenatedInTheStore(tally, readable);
    }

    @Test
    void recordWiseCompactionReadsPendingFilesFromLocalCopies() throws Exception {
        long count = 3_000;
        CompactionTally tally = new CompactionTally(storage().forCompaction());
        StreamExecutionEnvironment env = Jobs.batch(1);
        Jobs.records(env, count, 0)
                .sinkTo(FileSink.forRowFormat(base(), new SimpleStringEncoder<String>())
                        .withBucketAssigner(new ModuloBucketAssigner(2))
                        .withRollingPolicy(DefaultRollingPolicy.builder().withMaxRecordCount(250).build())
                        .withStorage(tally)
                        .enableCompact(
                                FileCompactStrategy.Builder.newBuilder().enableCompactionOnCheckpoint(1).build(),
                                new RecordWiseFileCompactor<>(new DecoderBasedReader.Factory<>(LineDecoder::new)))
                        .build());

        try (VisibleOutputWatcher watcher = Blobs.watchReadable(container, "out/")) {
            env.execute("azure record-wise compaction");
            assertThat(watcher.violations()).isEmpty();
        }
        Blobs.assertExactlyOnce(container, "out/", count);
        Map<String, Long> readable = Blobs.readable(container, "out/");
        assertThat(readable.keySet()).hasSize(2).allSatisfy(name -> assertThat(name).contains("/compacted-part-"));
        assertNothingHiddenOrStagedLeft();
        long outputBytes = readable.values().stream().mapToLong(Long::longValue).sum();
        // Every input was downloaded once.
        assertThat(tally.get(Count.SOURCES)).isEqualTo(count / 250);
        assertThat(tally.get(Count.SOURCE_BYTES_FETCHED)).isEqualTo(outputBytes);
        assertThat(tally.get(Count.CONCATENATIONS)).isZero();
        LOG.info("Record-wise: {} part files into {} blobs; {} bytes downloaded for {} output bytes",
                tally.get(Count.SOURCES), readable.size(), tally.get(Count.SOURCE_BYTES_FETCHED), outputBytes);
    }

    /**
     * Nothing with a hidden name, and no blob with staged blocks only (but the one-block probes of the sink's start-up
     * write check, which expire on their own).
     */
    private void assertNothingHiddenOrStagedLeft() {
        Map<String, Long> all = new java.util.TreeMap<>(Blobs.all(container, "out/"));
        all.keySet().removeIf(name -> name.startsWith("out/_filesink-write-check-"));
        assertThat(all).isEqualTo(new java.util.TreeMap<>(Blobs.readable(container, "out/")));
    }

    /**
     * Every compaction was a server-side concatenation. Azurite lacks Put Block From URL, so the inputs went down
     * and up again through the task manager: twice their bytes (no delimiter here). Against Blob Storage it is 0.
     */
    private static void assertConcatenatedInTheStore(CompactionTally tally, Map<String, Long> readable) {
        assertThat(tally.get(Count.CONCATENATIONS)).isPositive();
        assertThat(tally.get(Count.SOURCES)).as("compactions through the task manager").isZero();
        assertThat(tally.get(Count.CONCATENATION_BYTES_THROUGH_TM))
                .isEqualTo(2 * tally.get(Count.CONCATENATED_INPUT_BYTES));
        LOG.info("Concatenations: {} (failed attempts included) merged {} part files ({} bytes) through {} bytes in "
                        + "the task manager; {} blobs readable at the end", tally.get(Count.CONCATENATIONS),
                tally.get(Count.CONCATENATED_INPUTS), tally.get(Count.CONCATENATED_INPUT_BYTES),
                tally.get(Count.CONCATENATION_BYTES_THROUGH_TM), readable.size());
    }
}
