package dev.filesink.partitioncommit;

import dev.filesink.FileSink;
import dev.filesink.bucketassigners.StringBucketIdSerializer;
import dev.filesink.rollingpolicies.DefaultRollingPolicy;
import dev.filesink.testing.FinishedFiles;
import dev.filesink.testing.Jobs;
import dev.filesink.testing.TestRecords;
import dev.filesink.testing.VisibleOutputWatcher;
import dev.filesink.testing.partitioncommit.FlakyPolicy;
import dev.filesink.testing.partitioncommit.OutputView;
import dev.filesink.testing.partitioncommit.PartitionCommitContract;
import dev.filesink.testing.partitioncommit.RecordingPolicy;

import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.serialization.SimpleStringEncoder;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.filesystem.BucketAssigner;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The processing-time trigger: partition {@code phase=a} gets records for ~1 s, then only {@code phase=b} does for
 * ~5 s; {@code phase=a} is announced while the job runs, at least {@code delay} after its last record, after its files
 * are visible, once. {@code phase=b} still gets records when the input ends: as documented for bounded STREAMING
 * jobs, it is not announced.
 */
class ProcessingTimePartitionCommitITCase {

    private static final long COUNT = 1_200;
    private static final long PHASE_A = 200; // ids 0..199
    private static final double PER_SECOND = 200;
    private static final Duration DELAY = Duration.ofSeconds(1);

    private static final AtomicLong LAST_A_PASSED = new AtomicLong();
    private static final Map<String, Long> ANNOUNCED_AT = new ConcurrentHashMap<>();

    @TempDir java.nio.file.Path out;

    @Test
    void announcesAPartitionOnceAfterDelayWithoutNewData() throws Exception {
        StreamExecutionEnvironment env = Jobs.streaming(2, 200);
        FlakyPolicy audit = FlakyPolicy.wrap(new RecordingPolicy("audit"), Set.of(), Set.of());
        Jobs.records(env, COUNT, PER_SECOND).setParallelism(1)
                .map(new LastOfPhaseA()).setParallelism(1)
                .sinkTo(FileSink.forRowFormat(new Path(out.toUri()), new SimpleStringEncoder<String>())
                        .withBucketAssigner(new PhaseAssigner())
                        .withRollingPolicy(DefaultRollingPolicy.builder().withMaxRecordCount(50).build())
                        .withBucketCheckInterval(100)
                        .withPartitionCommit(PartitionCommit.builder()
                                .processTime()
                                .delay(DELAY)
                                .successFileWithJson()
                                .policy(audit)
                                .policy(new AnnouncementClock())
                                .build())
                        .build());

        OutputView view = OutputView.local(out);
        long jobEnd;
        try (VisibleOutputWatcher watcher = PartitionCommitContract.watchSuccessFiles(view, "_SUCCESS")) {
            env.execute("partition commit, processing time");
            jobEnd = System.currentTimeMillis();
            assertThat(watcher.violations()).isEmpty();
        }

        PartitionCommitContract.assertCompleteAndExactlyOnce(view, "_SUCCESS", PHASE_A, "phase=a"::equals);
        FinishedFiles.assertRecordsExactlyOnce(FinishedFiles.lines(out), COUNT);
        assertThat(audit.finished()).containsExactly("phase=a#1");
        long announcedA = ANNOUNCED_AT.get("phase=a");
        System.out.printf("phase a announced %d ms after its last record, %d ms before the job ended%n",
                announcedA - LAST_A_PASSED.get(), jobEnd - announcedA);
        assertThat(announcedA - LAST_A_PASSED.get()).as("ms from phase a's last record to its announcement")
                .isGreaterThanOrEqualTo(DELAY.toMillis());
        assertThat(announcedA).as("phase a announced while the job still ran (phase b's records take ~5 s)")
                .isLessThan(jobEnd - 1_000);
        assertThat(PartitionCommitContract.parse(view, "phase=a/_SUCCESS").get("records").asLong()).isEqualTo(PHASE_A);
    }

    /** {@code phase=a} for ids below {@link #PHASE_A}, {@code phase=b} for the rest. */
    private static final class PhaseAssigner implements BucketAssigner<String, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getBucketId(String element, Context context) {
            return TestRecords.idOf(element) < PHASE_A ? "phase=a" : "phase=b";
        }

        @Override
        public SimpleVersionedSerializer<String> getSerializer() {
            return StringBucketIdSerializer.INSTANCE;
        }
    }

    /** Notes when the last record of phase a passed on to the sink. */
    private static final class LastOfPhaseA implements MapFunction<String, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String map(String record) {
            if (TestRecords.idOf(record) == PHASE_A - 1) {
                LAST_A_PASSED.set(System.currentTimeMillis());
            }
            return record;
        }
    }

    /** Notes when each partition was announced. */
    private static final class AnnouncementClock implements PartitionCommitPolicy {
        private static final long serialVersionUID = 1L;

        @Override
        public String name() {
            return "clock";
        }

        @Override
        public void commit(CommittedPartition partition) {
            ANNOUNCED_AT.putIfAbsent(partition.bucketId(), System.currentTimeMillis());
        }
    }
}
