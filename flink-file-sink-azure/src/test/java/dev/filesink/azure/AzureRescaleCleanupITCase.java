package dev.filesink.azure;

import dev.filesink.azure.testing.Azurite;
import dev.filesink.azure.testing.Blobs;
import dev.filesink.it.ModuloBucketAssigner;
import dev.filesink.rollingpolicies.DefaultRollingPolicy;
import dev.filesink.testing.FailureInjector;
import dev.filesink.testing.Jobs;
import dev.filesink.testing.RescaleRuns;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobListDetails;
import com.azure.storage.blob.models.ListBlobsOptions;

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
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The S3 rescale scenarios on Blob Storage: a job stopped with a savepoint (or failed with its checkpoint retained)
 * while its part files have staged blocks, resumed at another parallelism. The whole container is listed at the
 * end, uncommitted blobs included: every record once in committed blobs, and no blob with only uncommitted blocks
 * except those docs/azure.md says expire on their own (write-check probes; after a failure, part files the failed
 * attempt opened after the checkpoint).
 */
class AzureRescaleCleanupITCase {

    private static final long RECORDS = 90_000;
    private static final double RATE = 15_000;
    private static final String PART = "out/bucket-[01]/part-[0-9a-f-]{36}-\\d+";
    private static final String PROBE = "out/_filesink-write-check-[0-9a-f-]{36}";
    private static final AtomicLong SEEN = new AtomicLong();

    private static Azurite azurite;
    private static RescaleRuns runs;

    @TempDir static java.nio.file.Path savepoints;
    @TempDir java.nio.file.Path checkpoints;

    private String containerName;
    private BlobContainerClient container;

    @BeforeAll
    static void start() throws Exception {
        azurite = Azurite.inMemory();
        runs = RescaleRuns.start(4, savepoints);
    }

    @AfterAll
    static void stop() throws Exception {
        runs.close();
        azurite.stop();
    }

    @BeforeEach
    void createContainer() {
        SEEN.set(0);
        containerName = "rescale" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        container = azurite.createContainer(containerName);
    }

    @Test
    void savepointAtTwoRestoredAtOneLeavesNothingBehind() throws Exception {
        JobID first = runs.submit(job(2, null, 0), null);
        String savepoint = runs.stopWithSavepointWhen(first, () -> SEEN.get() >= 30_000);
        assertBlocksStaged();

        JobID second = runs.submit(job(1, null, 0), savepoint);
        runs.awaitSuccess(second);
        assertContainerHoldsExactlyTheRecords(false);
    }

    @Test
    void savepointAtTwoThenThreeThenOneLeavesNothingBehind() throws Exception {
        JobID first = runs.submit(job(2, null, 0), null);
        String savepoint1 = runs.stopWithSavepointWhen(first, () -> SEEN.get() >= 30_000);
        assertBlocksStaged();

        JobID second = runs.submit(job(3, null, 0), savepoint1);
        String savepoint2 = runs.stopWithSavepointWhen(second, () -> SEEN.get() >= 60_000);
        assertBlocksStaged();

        JobID third = runs.submit(job(1, null, 0), savepoint2);
        runs.awaitSuccess(third);
        assertContainerHoldsExactlyTheRecords(false);
    }

    @Test
    void failureRestoredFromRetainedCheckpointAtLowerParallelismLeavesNothingBehind() throws Exception {
        // Fails at subtask 0's 18,000th record, but not before 2 checkpoints completed: a busy machine may deploy the
        // tasks late, and the test needs a retained checkpoint whose state names staged blocks.
        JobID first = runs.submit(job(2, checkpoints, 18_000), null);
        runs.awaitFailure(first);
        String checkpoint = RescaleRuns.latestRetainedCheckpoint(checkpoints);
        assertBlocksStaged();

        JobID second = runs.submit(job(1, null, 0), checkpoint);
        runs.awaitSuccess(second);
        assertContainerHoldsExactlyTheRecords(true);
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
                .sinkTo(AzureFileSink.forRowFormat(new Path(azurite.abfsPath(containerName, "out")),
                                new SimpleStringEncoder<String>(),
                                AzureBlobStorage.to(AzureBlobDestination.builder()
                                        .accountKey(Azurite.KEY).endpoint(azurite.endpoint()).build()))
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

    /** Blobs with uncommitted blocks only (in-progress part files), by name. */
    private List<String> uncommittedOnly() {
        Set<String> committed = Blobs.visible(container, "").keySet();
        List<String> names = new ArrayList<>();
        for (BlobItem item : container.listBlobs(new ListBlobsOptions()
                .setDetails(new BlobListDetails().setRetrieveUncommittedBlobs(true)), null)) {
            if (!committed.contains(item.getName())) {
                names.add(item.getName());
            }
        }
        return names;
    }

    /** The stopped job's state names staged blocks of in-progress part files. */
    private void assertBlocksStaged() {
        assertThat(uncommittedOnly()).as("in-progress part files at the savepoint or checkpoint")
                .anyMatch(name -> name.matches(PART));
    }

    private void assertContainerHoldsExactlyTheRecords(boolean afterFailure) {
        assertThat(Blobs.visible(container, "").keySet()).as("committed blobs").allMatch(name -> name.matches(PART));
        List<String> left = new ArrayList<>();
        for (String name : uncommittedOnly()) {
            boolean expires = name.matches(PROBE) || (afterFailure && name.matches(PART));
            if (!expires) {
                left.add(name);
            }
        }
        assertThat(left).as("blobs with only uncommitted blocks that do not just expire").isEmpty();
        Blobs.assertExactlyOnce(container, "out/", RECORDS);
        System.out.printf("Container %s after the last job: %d committed part blobs; uncommitted only: %s%n",
                containerName, Blobs.visible(container, "").size(), uncommittedOnly());
    }

    /** Counts records on their way to the sink (the MiniCluster runs in this JVM). */
    private static final class CountRecords implements MapFunction<String, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String map(String value) {
            SEEN.incrementAndGet();
            return value;
        }
    }
}
