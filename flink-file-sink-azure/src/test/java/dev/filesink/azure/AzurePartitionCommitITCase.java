package dev.filesink.azure;

import dev.filesink.FileSink;
import dev.filesink.azure.testing.Azurite;
import dev.filesink.azure.testing.Blobs;
import dev.filesink.partitioncommit.PartitionCommit;
import dev.filesink.partitioncommit.SuccessFile;
import dev.filesink.testing.FailureInjector;
import dev.filesink.testing.Jobs;
import dev.filesink.testing.VisibleOutputWatcher;
import dev.filesink.testing.partitioncommit.EventTimeRecords;
import dev.filesink.testing.partitioncommit.FlakyPolicy;
import dev.filesink.testing.partitioncommit.OutputView;
import dev.filesink.testing.partitioncommit.PartitionCommitContract;
import dev.filesink.testing.partitioncommit.RecordingPolicy;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.ListBlobsOptions;

import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Partition commit into Azurite: success files and checkpoint manifests appear once, only after every blob of their
 * partition is committed, despite failures in the job and inside a policy; BATCH as well; no staged-only blob left.
 */
class AzurePartitionCommitITCase {

    private static final long STEP_MILLIS = 12_000; // 300 records per hour partition
    private static final String PREFIX = "out/";
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
        containerName = "pc" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
        container = azurite.createContainer(containerName);
    }

    @Test
    void eventTimeAnnouncesEveryPartitionOnceAfterItsBlobsDespiteFailures() throws Exception {
        long count = 2_400;
        StreamExecutionEnvironment env = Jobs.streaming(2, 150);
        FailureInjector<String> jobFailures = FailureInjector.plan().atRecord(400).afterCheckpointComplete(4).build();
        FlakyPolicy successFile = FlakyPolicy.wrap(SuccessFile.create().withJsonContent(), Set.of(2), Set.of(4));
        FlakyPolicy audit = FlakyPolicy.wrap(new RecordingPolicy("audit"), Set.of(3), Set.of());
        // The tail records (see EventTimeRecords) keep the job running until every real partition is announced; more
        // than on S3, as Azurite's commits are slower.
        EventTimeRecords.source(env, count, count + 4_000, 2_000, STEP_MILLIS)
                .map(jobFailures)
                .sinkTo(sink(PartitionCommitContract.eventTimeSettings().policy(successFile).policy(audit).checkpointManifests(true).build()));

        OutputView view = committedBlobs();
        try (VisibleOutputWatcher watcher = PartitionCommitContract.watchSuccessFiles(view, "_SUCCESS")) {
            env.execute("Azure partition commit, event time, failures");
            assertThat(watcher.violations()).isEmpty();
        }
        assertThat(jobFailures.fired()).as("injected job failures").isEqualTo(jobFailures.planned());
        assertThat(successFile.fired()).as("injected success file failures").isEqualTo(successFile.planned());
        assertThat(audit.fired()).as("injected audit failures").isEqualTo(audit.planned());
        PartitionCommitContract.assertCompleteAndExactlyOnce(view, "_SUCCESS", count, AzurePartitionCommitITCase::isReal);
        PartitionCommitContract.assertManifestsListEveryFileOnce(view, AzurePartitionCommitITCase::isReal);
        assertNoStagedOnlyBlob();
        long partitions = EventTimeRecords.partitions(count, STEP_MILLIS);
        assertThat(audit.finished()).as("audit calls that finished").hasSize((int) partitions).doesNotHaveDuplicates();
        assertThat(successFile.finished()).hasSize((int) partitions);
    }

    @Test
    void batchAnnouncesEveryPartitionAtTheEndOfInput() throws Exception {
        long count = 1_500;
        StreamExecutionEnvironment env = Jobs.batch(2);
        FailureInjector<String> jobFailures = FailureInjector.plan().onAnySubtask().atRecord(500).build();
        FlakyPolicy successFile = FlakyPolicy.wrap(SuccessFile.create().withJsonContent(), Set.of(), Set.of(2));
        EventTimeRecords.source(env, count, 0, STEP_MILLIS)
                .map(jobFailures)
                .sinkTo(sink(PartitionCommitContract.eventTimeSettings().policy(successFile).checkpointManifests(true).build()));

        env.execute("Azure partition commit, batch");

        assertThat(jobFailures.fired()).as("injected job failures").isEqualTo(jobFailures.planned());
        assertThat(successFile.fired()).as("injected success file failures").isEqualTo(successFile.planned());
        OutputView view = committedBlobs();
        PartitionCommitContract.assertCompleteAndExactlyOnce(view, "_SUCCESS", count);
        PartitionCommitContract.assertManifestsListEveryFileOnce(view);
        assertNoStagedOnlyBlob();
        assertThat(successFile.finished()).hasSize((int) EventTimeRecords.partitions(count, STEP_MILLIS));
    }

    private FileSink<String> sink(PartitionCommit partitionCommit) {
        AzureBlobDestination destination =
                AzureBlobDestination.builder().accountKey(Azurite.KEY).endpoint(azurite.endpoint()).build();
        return PartitionCommitContract.sink(
                new Path(azurite.abfsPath(containerName, "out")), AzureBlobStorage.of(destination), partitionCommit);
    }

    /** The committed blobs below the sink's base path, as the contract sees them: relative name to ETag. */
    private OutputView committedBlobs() {
        BlobContainerClient blobs = container;
        return new OutputView() {
            @Override
            public Map<String, String> list() {
                Map<String, String> etags = new TreeMap<>();
                for (BlobItem item : blobs.listBlobs(new ListBlobsOptions().setPrefix(PREFIX), null)) {
                    etags.put(item.getName().substring(PREFIX.length()), item.getProperties().getETag());
                }
                return etags;
            }

            @Override
            public byte[] read(String relativePath) {
                return Blobs.bytes(blobs, PREFIX + relativePath);
            }
        };
    }

    /**
     * Staged-only blobs left may be only what expires by itself (docs/azure.md, "Orphans"): the sink's start-up write
     * checks and part files of the failed attempts. Success files, manifests and completion records never.
     */
    private void assertNoStagedOnlyBlob() {
        Set<String> stagedOnly = new java.util.TreeSet<>(Blobs.all(container, PREFIX).keySet());
        stagedOnly.removeAll(Blobs.visible(container, PREFIX).keySet());
        stagedOnly.removeIf(name -> name.startsWith(PREFIX + "_filesink-write-check-")
                || name.matches(PREFIX + "dt=[^/]+/hour=\\d\\d/part-[0-9a-f-]{36}-\\d+"));
        assertThat(stagedOnly).as("blobs with staged blocks only that do not just expire").isEmpty();
    }

    private static boolean isReal(String partition) {
        return !partition.equals(EventTimeRecords.TAIL_PARTITION);
    }
}
