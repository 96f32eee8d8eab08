package dev.filesink.limits;

import dev.filesink.FileSink;
import dev.filesink.it.ModuloBucketAssigner;
import dev.filesink.rollingpolicies.DefaultRollingPolicy;
import dev.filesink.storage.CommitOutcome;
import dev.filesink.storage.FileSystemStorage;
import dev.filesink.storage.OrphanFilter;
import dev.filesink.storage.PartFileStorage;
import dev.filesink.storage.StorageSession;
import dev.filesink.testing.FinishedFiles;
import dev.filesink.testing.Jobs;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.serialization.SimpleStringEncoder;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.RecoverableWriter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sink's metrics as a reporter sees them, checked against what the job really wrote: records, part files and
 * bytes on disk, commits, retries and replays.
 */
class SinkMetricsITCase {

    private static final MetricsProbe METRICS = new MetricsProbe();

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setConfiguration(METRICS.configure(Jobs.restarting()))
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(4)
            .build());

    private static final long COUNT = 4_000;

    @TempDir java.nio.file.Path out;

    @Test
    void writerAndCommitterMetricsMatchTheFilesWritten() throws Exception {
        StreamExecutionEnvironment env = Jobs.streaming(2, 200);
        Jobs.records(env, COUNT, 4_000).sinkTo(sink(FileSystemStorage.INSTANCE));

        JobClient client = env.executeAsync("metrics");
        JobID job = client.getJobID();
        try (MetricsProbe.Sampler open = METRICS.sample(job, "fileSink.openPartFiles");
                MetricsProbe.Sampler buckets = METRICS.sample(job, "fileSink.activeBuckets");
                MetricsProbe.Sampler buffered = METRICS.sample(job, "fileSink.bufferedBytes")) {
            client.getJobExecutionResult().get();
            // 4 buckets per writer, one open part file each, holding a 64 KiB write buffer each.
            assertThat(open.max()).as("openPartFiles").isBetween(1L, 4L);
            assertThat(buckets.max()).as("activeBuckets").isBetween(1L, 4L);
            assertThat(buffered.max()).as("bufferedBytes").isBetween(64L * 1024, 4L * 64 * 1024);
        }

        FinishedFiles.assertExactlyOnce(out, COUNT);
        long files = FinishedFiles.visible(out).size();
        long bytes = totalSize();

        assertThat(METRICS.count(job, "numRecordsSend")).as("numRecordsSend").isEqualTo(COUNT);
        assertThat(METRICS.count(job, "numBytesSend")).as("numBytesSend").isEqualTo(bytes);
        assertThat(METRICS.count(job, "fileSink.partFilesOpened")).as("partFilesOpened").isEqualTo(files);
        assertThat(METRICS.count(job, "fileSink.partFilesRolled")).as("partFilesRolled").isEqualTo(files);
        // Each writer gets 500 records per bucket: one file rolls at 250 records, the next at the end of input.
        assertThat(files).isEqualTo(2 * 4 * 2);
        assertThat(METRICS.count(job, "fileSink.partFilesRolledBy.event")).as("rolled by record count").isEqualTo(8);
        assertThat(METRICS.count(job, "fileSink.partFilesRolledBy.end_of_input")).as("rolled at end").isEqualTo(8);
        for (String reason : new String[] {"checkpoint", "processing_time", "capacity", "merge"}) {
            assertThat(METRICS.count(job, "fileSink.partFilesRolledBy." + reason)).as(reason).isZero();
        }

        assertThat(METRICS.count(job, "fileSink.partFilesCommitted")).as("partFilesCommitted").isEqualTo(files);
        assertThat(METRICS.count(job, "fileSink.bytesCommitted")).as("bytesCommitted").isEqualTo(bytes);
        assertThat(METRICS.count(job, "fileSink.partFilesAlreadyCommitted")).isZero();
        assertThat(METRICS.count(job, "fileSink.commitFailures")).isZero();
        assertThat(METRICS.count(job, "fileSink.commitRetries")).isZero();
        assertThat(METRICS.histogramCount(job, "fileSink.commitLatencyMs")).as("commit latencies").isEqualTo(files);
        assertThat(METRICS.count(job, "fileSink.recordsSkipped")).as("recordsSkipped (no format skips here)").isZero();
    }

    @Test
    void failedAndRetriedCommitsAreCounted() throws Exception {
        FailFirstCommit.FAILED.clear();
        StreamExecutionEnvironment env = Jobs.streaming(2, 200);
        Jobs.records(env, COUNT, 4_000).sinkTo(sink(new FailFirstCommit()));
        JobID job = env.execute("metrics with failing commits").getJobID();

        FinishedFiles.assertExactlyOnce(out, COUNT);
        long files = FinishedFiles.visible(out).size();
        long lostResponses = FinishedFiles.visible(out).stream().filter(FailFirstCommit::losesResponse).count();
        assertThat(FailFirstCommit.FAILED).hasSize((int) files);
        assertThat(lostResponses).isBetween(1L, files - 1);

        assertThat(METRICS.count(job, "fileSink.commitFailures")).as("commitFailures").isEqualTo(files);
        assertThat(METRICS.count(job, "fileSink.commitRetries")).as("commitRetries").isEqualTo(files);
        // A retry after a lost response finds its file committed.
        assertThat(METRICS.count(job, "fileSink.partFilesAlreadyCommitted")).as("partFilesAlreadyCommitted")
                .isEqualTo(lostResponses);
        assertThat(METRICS.count(job, "fileSink.partFilesCommitted")).as("partFilesCommitted")
                .isEqualTo(files - lostResponses);
        assertThat(METRICS.histogramCount(job, "fileSink.commitLatencyMs")).isEqualTo(files);
    }

    private FileSink<String> sink(PartFileStorage storage) {
        return FileSink.forRowFormat(new Path(out.toUri()), new SimpleStringEncoder<String>())
                .withBucketAssigner(new ModuloBucketAssigner(4))
                .withRollingPolicy(DefaultRollingPolicy.builder()
                        .withMaxRecordCount(250)
                        .withRolloverInterval(Duration.ofMinutes(10))
                        .withInactivityInterval(Duration.ofMinutes(10))
                        .build())
                .withStorage(storage)
                .withCommitRetries(3, Duration.ofMillis(1), Duration.ofMillis(5))
                .build();
    }

    private long totalSize() {
        return FinishedFiles.visible(out).stream().mapToLong(file -> {
            try {
                return Files.size(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).sum();
    }

    /**
     * The local file system, except that the first commit of every part file fails as a network error would: for
     * even part counters before the file is committed, for odd ones after it is (the response was lost).
     */
    static final class FailFirstCommit implements PartFileStorage {
        private static final long serialVersionUID = 1L;

        static final Set<String> FAILED = ConcurrentHashMap.newKeySet();

        static boolean losesResponse(java.nio.file.Path file) {
            return losesResponse(file.getFileName().toString());
        }

        static boolean losesResponse(String name) {
            return Long.parseLong(name.substring(name.lastIndexOf('-') + 1)) % 2 == 1;
        }

        @Override
        public StorageSession open(Path basePath) throws IOException {
            StorageSession real = FileSystemStorage.INSTANCE.open(basePath);
            return new StorageSession() {
                @Override
                public RecoverableWriter recoverableWriter() {
                    return real.recoverableWriter();
                }

                @Override
                public void checkWritable() throws IOException {
                    real.checkWritable();
                }

                @Override
                public CommitOutcome commit(Path target, RecoverableWriter.CommitRecoverable pendingFile, long size)
                        throws IOException {
                    if (!FAILED.add(target.toString())) {
                        return real.commit(target, pendingFile, size);
                    }
                    if (losesResponse(target.getName())) {
                        real.commit(target, pendingFile, size);
                        throw new IOException("Injected failure: the response to committing " + target + " was lost");
                    }
                    throw new IOException("Injected transient failure committing " + target);
                }

                @Override
                public int discardOrphans(OrphanFilter filter) throws IOException {
                    return real.discardOrphans(filter);
                }

                @Override
                public void close() throws IOException {
                    real.close();
                }
            };
        }
    }
}
