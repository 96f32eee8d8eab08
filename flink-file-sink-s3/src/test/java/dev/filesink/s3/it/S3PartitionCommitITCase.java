package dev.filesink.s3.it;

import dev.filesink.FileSink;
import dev.filesink.partitioncommit.PartitionCommit;
import dev.filesink.partitioncommit.SuccessFile;
import dev.filesink.s3.S3Storage;
import dev.filesink.s3.testing.S3Server;
import dev.filesink.testing.FailureInjector;
import dev.filesink.testing.Jobs;
import dev.filesink.testing.VisibleOutputWatcher;
import dev.filesink.testing.partitioncommit.EventTimeRecords;
import dev.filesink.testing.partitioncommit.FlakyPolicy;
import dev.filesink.testing.partitioncommit.OutputView;
import dev.filesink.testing.partitioncommit.PartitionCommitContract;
import dev.filesink.testing.partitioncommit.RecordingPolicy;

import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.S3Object;

import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Partition commit into a real S3 server (s3proxy): success files and checkpoint manifests appear once, only after
 * every object of their partition is visible, despite failures in the job and inside a policy; BATCH as well.
 */
class S3PartitionCommitITCase {

    private static final String BUCKET = "partition-commit";
    private static final long STEP_MILLIS = 12_000; // 300 records per hour partition
    private static S3Server server;

    @BeforeAll
    static void startServer() throws Exception {
        server = S3Server.start();
        server.createBucket(BUCKET);
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    @Test
    void eventTimeAnnouncesEveryPartitionOnceAfterItsObjectsDespiteFailures() throws Exception {
        long count = 2_400;
        String prefix = "streaming";
        StreamExecutionEnvironment env = Jobs.streaming(2, 150);
        FailureInjector<String> jobFailures = FailureInjector.plan().atRecord(400).afterCheckpointComplete(4).build();
        FlakyPolicy successFile = FlakyPolicy.wrap(SuccessFile.create().withJsonContent(), Set.of(2), Set.of(4));
        FlakyPolicy audit = FlakyPolicy.wrap(new RecordingPolicy("audit"), Set.of(3), Set.of());
        // The tail records (see EventTimeRecords) keep the job running until every real partition is announced.
        EventTimeRecords.source(env, count, count + 2_000, 2_000, STEP_MILLIS)
                .map(jobFailures)
                .sinkTo(sink(prefix, PartitionCommitContract.eventTimeSettings().policy(successFile).policy(audit).checkpointManifests(true).build()));

        OutputView view = view(prefix);
        try (VisibleOutputWatcher watcher = PartitionCommitContract.watchSuccessFiles(view, "_SUCCESS")) {
            env.execute("S3 partition commit, event time, failures");
            assertThat(watcher.violations()).isEmpty();
        }
        assertThat(jobFailures.fired()).as("injected job failures").isEqualTo(jobFailures.planned());
        assertThat(successFile.fired()).as("injected success file failures").isEqualTo(successFile.planned());
        assertThat(audit.fired()).as("injected audit failures").isEqualTo(audit.planned());
        PartitionCommitContract.assertCompleteAndExactlyOnce(view, "_SUCCESS", count, S3PartitionCommitITCase::isReal);
        PartitionCommitContract.assertManifestsListEveryFileOnce(view, S3PartitionCommitITCase::isReal);
        assertNothingUnfinishedLeft(prefix);
        long partitions = EventTimeRecords.partitions(count, STEP_MILLIS);
        assertThat(audit.finished()).as("audit calls that finished").hasSize((int) partitions).doesNotHaveDuplicates();
        assertThat(successFile.finished()).hasSize((int) partitions);
    }

    @Test
    void batchAnnouncesEveryPartitionAtTheEndOfInput() throws Exception {
        long count = 1_500;
        String prefix = "batch";
        StreamExecutionEnvironment env = Jobs.batch(2);
        FailureInjector<String> jobFailures = FailureInjector.plan().onAnySubtask().atRecord(500).build();
        FlakyPolicy successFile = FlakyPolicy.wrap(SuccessFile.create().withJsonContent(), Set.of(), Set.of(2));
        EventTimeRecords.source(env, count, 0, STEP_MILLIS)
                .map(jobFailures)
                .sinkTo(sink(prefix, PartitionCommitContract.eventTimeSettings().policy(successFile).checkpointManifests(true).build()));

        env.execute("S3 partition commit, batch");

        assertThat(jobFailures.fired()).as("injected job failures").isEqualTo(jobFailures.planned());
        assertThat(successFile.fired()).as("injected success file failures").isEqualTo(successFile.planned());
        OutputView view = view(prefix);
        PartitionCommitContract.assertCompleteAndExactlyOnce(view, "_SUCCESS", count);
        PartitionCommitContract.assertManifestsListEveryFileOnce(view);
        assertNothingUnfinishedLeft(prefix);
        assertThat(successFile.finished()).hasSize((int) EventTimeRecords.partitions(count, STEP_MILLIS));
    }

    private static FileSink<String> sink(String prefix, PartitionCommit partitionCommit) {
        return PartitionCommitContract.sink(
                new Path("s3://" + BUCKET + "/" + prefix), S3Storage.of(server.destination().build()), partitionCommit);
    }

    /** The bucket below the prefix as the contract sees it: every key (staging and open uploads too) with its ETag. */
    private static OutputView view(String prefix) {
        String root = prefix + "/";
        return new OutputView() {
            @Override
            public Map<String, String> list() {
                Map<String, String> objects = new TreeMap<>();
                for (S3Object object : server.client().listObjectsV2Paginator(
                        ListObjectsV2Request.builder().bucket(BUCKET).prefix(root).build()).contents()) {
                    objects.put(object.key().substring(root.length()), object.eTag());
                }
                return objects;
            }

            @Override
            public byte[] read(String relativePath) {
                return server.client().getObjectAsBytes(b -> b.bucket(BUCKET).key(root + relativePath)).asByteArray();
            }
        };
    }

    private static void assertNothingUnfinishedLeft(String prefix) {
        assertThat(server.openUploads(BUCKET, prefix + "/")).as("multipart uploads left open").isEmpty();
        assertThat(server.keys(BUCKET, prefix + "/_filesink-staging/")).as("staging objects left").isEmpty();
    }

    private static boolean isReal(String partition) {
        return !partition.equals(EventTimeRecords.TAIL_PARTITION);
    }
}
