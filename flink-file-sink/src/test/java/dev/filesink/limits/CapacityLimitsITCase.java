package dev.filesink.limits;

import dev.filesink.FileSink;
import dev.filesink.bucketassigners.StringBucketIdSerializer;
import dev.filesink.it.ModuloBucketAssigner;
import dev.filesink.partfile.MemoryReporting;
import dev.filesink.partfile.PartFileAwareEncoder;
import dev.filesink.rollingpolicies.DefaultRollingPolicy;
import dev.filesink.testing.FailureInjector;
import dev.filesink.testing.FinishedFiles;
import dev.filesink.testing.Jobs;
import dev.filesink.testing.TestRecords;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.serialization.BulkWriter;
import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.filesystem.BucketAssigner;
import org.apache.flink.test.junit5.MiniClusterExtension;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The limits on open part files and on buffered bytes, in MiniCluster jobs with many buckets: every record exactly
 * once, the limit never exceeded (tracked by the format itself, per writer thread), capacity rolls counted.
 */
class CapacityLimitsITCase {

    private static final MetricsProbe METRICS = new MetricsProbe();

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setConfiguration(METRICS.configure(Jobs.restarting()))
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(4)
            .build());

    @TempDir java.nio.file.Path out;

    @Test
    void openPartFilesNeverExceedTheLimit() throws Exception {
        LimitRun run = runWithOpenFileLimit(FailureInjector.plan());
        assertThat(run.gaugeSamples).as("openPartFiles gauge samples").isPositive();
        assertThat(run.gaugeMax).as("openPartFiles gauge, largest value").isBetween(1L, (long) OPEN_FILE_LIMIT);
        assertThat(run.trackedMax).as("part files open at once in one writer").isEqualTo(OPEN_FILE_LIMIT);
    }

    @Test
    void everyRecordIsWrittenOnceWithTheLimitThroughFailures() throws Exception {
        runWithOpenFileLimit(FailureInjector.plan().atRecord(1_500).afterCheckpointComplete(2));
    }

    @Test
    void openPartFilesStayWithinTheLimitAfterARestore() throws Exception {
        LimitRun run = runWithOpenFileLimit(FailureInjector.plan().atRecord(1_500).afterCheckpointComplete(2));
        assertThat(run.trackedMax).as("part files open at once in one writer").isEqualTo(OPEN_FILE_LIMIT);
    }

    private static final int OPEN_FILE_LIMIT = 16;

    /** 6,000 records into 200 buckets with at most 16 open files per writer; checks exactly-once and the metrics. */
    private LimitRun runWithOpenFileLimit(FailureInjector.Plan failures) throws Exception {
        long count = 6_000;
        OpenFileTracker.reset();
        StreamExecutionEnvironment env = Jobs.streaming(2, 300);
        FailureInjector<String> injector = failures.build();
        Jobs.records(env, count, 4_000)
                .map(injector)
                .sinkTo(FileSink.forRowFormat(new Path(out.toUri()), new OpenFileTracker())
                        .withBucketAssigner(new SkewedBucketAssigner())
                        .withRollingPolicy(DefaultRollingPolicy.builder()
                                .withRolloverInterval(Duration.ofMinutes(10))
                                .withInactivityInterval(Duration.ofMinutes(10))
                                .build())
                        .withMaxOpenPartFiles(OPEN_FILE_LIMIT)
                        .build());

        LimitRun run = new LimitRun();
        JobClient client = env.executeAsync("many buckets, open file limit");
        JobID job = client.getJobID();
        try (MetricsProbe.Sampler openFiles = METRICS.sample(job, "fileSink.openPartFiles")) {
            client.getJobExecutionResult().get();
            run.gaugeMax = openFiles.max();
            run.gaugeSamples = openFiles.samples();
        }
        run.trackedMax = OpenFileTracker.MAX.get();
        assertThat(injector.fired()).as("injected failures that fired").isEqualTo(injector.planned());

        FinishedFiles.assertExactlyOnce(out, count);
        // Every cold record (1 in 5) finds its bucket closed and pushes the least recently written file out.
        long capacityRolls = METRICS.count(job, "fileSink.partFilesRolledBy.capacity");
        assertThat(capacityRolls).isGreaterThan(count / 5 / 2);
        assertThat(METRICS.count(job, "fileSink.partFilesRolled")).isGreaterThanOrEqualTo(capacityRolls);
        return run;
    }

    /** What a run with the open-file limit observed. */
    private static final class LimitRun {
        long gaugeMax;
        long gaugeSamples;
        int trackedMax;
    }

    @Test
    void bufferedBytesStayWithinTheBudget() throws Exception {
        long count = 30_000;
        long budget = 256 * 1024;
        int writeBuffer = 1024;

        // Without a budget, a BATCH job buffers every record until the end: the tracker must see that.
        BufferingBulkWriter.reset();
        java.nio.file.Path unbounded = out.resolve("unbounded");
        runBulk(unbounded, count, writeBuffer, 0);
        FinishedFiles.assertExactlyOnce(unbounded, count);
        assertThat(BufferingBulkWriter.MAX.get()).as("buffered without a budget").isGreaterThan(count * 90);

        BufferingBulkWriter.reset();
        java.nio.file.Path bounded = out.resolve("bounded");
        JobID job = runBulk(bounded, count, writeBuffer, budget);
        FinishedFiles.assertExactlyOnce(bounded, count);
        // The budget is checked every 1,024 records; between checks at most that many (101-byte) records pile up.
        long slack = 1024 * (TestRecords.record(0).length() + 1);
        assertThat(BufferingBulkWriter.MAX.get()).as("bytes buffered at once with a budget")
                .isGreaterThan(budget / 2)
                .isLessThanOrEqualTo(budget + slack);
        assertThat(METRICS.count(job, "fileSink.partFilesRolledBy.capacity")).isPositive();
        assertThat(FinishedFiles.visible(bounded).size()).isGreaterThan(64);
    }

    private JobID runBulk(java.nio.file.Path path, long count, int writeBuffer, long budget) throws Exception {
        StreamExecutionEnvironment env = Jobs.batch(1);
        Jobs.records(env, count, 0)
                .sinkTo(FileSink.forBulkFormat(new Path(path.toUri()), (BulkWriter.Factory<String>) BufferingBulkWriter::new)
                        .withBucketAssigner(new ModuloBucketAssigner(64))
                        .withWriteBufferSize(writeBuffer)
                        .withMaxBufferedBytes(budget)
                        .build());
        return env.execute("many buckets, memory budget " + budget).getJobID();
    }

    /** 4 of 5 records go to 8 hot buckets, the rest cycle through 192 cold ones: 200 buckets in all. */
    static final class SkewedBucketAssigner implements BucketAssigner<String, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getBucketId(String element, Context context) {
            long id = TestRecords.idOf(element);
            return id % 5 != 0 ? "hot-" + (id % 8) : "cold-" + ((id / 5) % 192);
        }

        @Override
        public SimpleVersionedSerializer<String> getSerializer() {
            return StringBucketIdSerializer.INSTANCE;
        }
    }

    /**
     * A line format that counts its open part files per writer thread (each writer attempt runs on a thread of its
     * own): a file is open from {@code openPartFile} (new or resumed) to {@code finish} (closed for commit).
     */
    static final class OpenFileTracker implements PartFileAwareEncoder<String> {
        private static final long serialVersionUID = 1L;

        static final Map<Thread, AtomicInteger> OPEN = new ConcurrentHashMap<>();
        static final AtomicInteger MAX = new AtomicInteger();

        static void reset() {
            OPEN.clear();
            MAX.set(0);
        }

        @Override
        public void encode(String element, OutputStream stream) throws IOException {
            stream.write((element + "\n").getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public RecordWriter<String> openPartFile(OutputStream stream, boolean resumed) {
            AtomicInteger open = OPEN.computeIfAbsent(Thread.currentThread(), thread -> new AtomicInteger());
            MAX.accumulateAndGet(open.incrementAndGet(), Math::max);
            return new RecordWriter<>() {
                @Override
                public void write(String element) throws IOException {
                    encode(element, stream);
                }

                @Override
                public void finish() {
                    open.decrementAndGet();
                }
            };
        }
    }

    /**
     * A bulk format that holds all its records in memory until the part file is finished (like a Parquet row group),
     * reports that to the sink, and tracks the total its writers hold per writer thread.
     */
    static final class BufferingBulkWriter implements BulkWriter<String>, MemoryReporting {

        static final Map<Thread, AtomicLong> BUFFERED = new ConcurrentHashMap<>();
        static final AtomicLong MAX = new AtomicLong();

        private final FSDataOutputStream stream;
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        private final AtomicLong threadTotal;

        BufferingBulkWriter(FSDataOutputStream stream) {
            this.stream = stream;
            this.threadTotal = BUFFERED.computeIfAbsent(Thread.currentThread(), thread -> new AtomicLong());
        }

        static void reset() {
            BUFFERED.clear();
            MAX.set(0);
        }

        @Override
        public void addElement(String element) throws IOException {
            byte[] line = (element + "\n").getBytes(StandardCharsets.UTF_8);
            buffer.write(line);
            MAX.accumulateAndGet(threadTotal.addAndGet(line.length), Math::max);
        }

        @Override
        public void flush() throws IOException {
            threadTotal.addAndGet(-buffer.size());
            buffer.writeTo(stream);
            buffer.reset();
        }

        @Override
        public void finish() throws IOException {
            flush();
        }

        @Override
        public long bufferedBytes() {
            return buffer.size();
        }
    }
}
