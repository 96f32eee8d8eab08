package dev.filesink.partitioncommit;

import dev.filesink.FileSink;
import dev.filesink.testing.FailureInjector;
import dev.filesink.testing.Jobs;
import dev.filesink.testing.VisibleOutputWatcher;
import dev.filesink.testing.partitioncommit.EventTimeRecords;
import dev.filesink.testing.partitioncommit.FlakyPolicy;
import dev.filesink.testing.partitioncommit.OutputView;
import dev.filesink.testing.partitioncommit.PartitionCommitContract;
import dev.filesink.testing.partitioncommit.RecordingPolicy;
import dev.filesink.storage.FileSystemStorage;

import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Partition commit into a local folder: event time with failures at every step, and BATCH. */
class LocalPartitionCommitITCase {

    private static final long STEP_MILLIS = 12_000; // 300 records per hour partition

    @TempDir java.nio.file.Path out;

    @Test
    void eventTimeAnnouncesEveryPartitionOnceAfterItsFilesDespiteFailures() throws Exception {
        long count = 3_000;
        StreamExecutionEnvironment env = Jobs.streaming(2, 150);
        FailureInjector<String> jobFailures = FailureInjector.plan().atRecord(400).afterCheckpointComplete(4).build();
        // Failures in the success file policy before and after it wrote, and in the second policy before it acts,
        // that is between the two policies.
        FlakyPolicy successFile = FlakyPolicy.wrap(SuccessFile.create().withJsonContent(), Set.of(2), Set.of(4));
        FlakyPolicy audit = FlakyPolicy.wrap(new RecordingPolicy("audit"), Set.of(3), Set.of());
        // Two source subtasks: the first reads records 0..2999 and 1000 tail records, the second only tail records,
        // so that every real partition is closed (and announced) while the job still runs.
        EventTimeRecords.source(env, count, count + 2_000, 2_000, STEP_MILLIS)
                .map(jobFailures)
                .sinkTo(sink(PartitionCommitContract.eventTimeSettings().policy(successFile).policy(audit).checkpointManifests(true).build()));

        OutputView view = OutputView.local(out);
        try (VisibleOutputWatcher watcher = PartitionCommitContract.watchSuccessFiles(view, "_SUCCESS")) {
            env.execute("partition commit, event time, failures");
            assertThat(watcher.violations()).isEmpty();
        }
        assertThat(jobFailures.fired()).as("injected job failures").isEqualTo(jobFailures.planned());
        assertThat(successFile.fired()).as("injected success file failures").isEqualTo(successFile.planned());
        assertThat(audit.fired()).as("injected audit failures").isEqualTo(audit.planned());
        PartitionCommitContract.assertCompleteAndExactlyOnce(view, "_SUCCESS", count, LocalPartitionCommitITCase::isReal);
        PartitionCommitContract.assertManifestsListEveryFileOnce(view, LocalPartitionCommitITCase::isReal);
        long partitions = EventTimeRecords.partitions(count, STEP_MILLIS);
        // A policy runs again only for the announcement it failed in after acting.
        assertThat(audit.finished()).as("audit calls that finished").hasSize((int) partitions).doesNotHaveDuplicates();
        assertThat(successFile.finished()).hasSize((int) partitions);
    }

    @Test
    void batchAnnouncesEveryPartitionAtTheEndOfInput() throws Exception {
        long count = 2_000;
        StreamExecutionEnvironment env = Jobs.batch(2);
        FailureInjector<String> jobFailures = FailureInjector.plan().onAnySubtask().atRecord(500).build();
        FlakyPolicy audit = FlakyPolicy.wrap(new RecordingPolicy("audit"), Set.of(2), Set.of());
        EventTimeRecords.source(env, count, 0, STEP_MILLIS)
                .map(jobFailures)
                .sinkTo(sink(PartitionCommitContract.eventTimeSettings().successFileWithJson().policy(audit).checkpointManifests(true).build()));

        env.execute("partition commit, batch");

        assertThat(jobFailures.fired()).isEqualTo(jobFailures.planned());
        assertThat(audit.fired()).isEqualTo(audit.planned());
        OutputView view = OutputView.local(out);
        PartitionCommitContract.assertCompleteAndExactlyOnce(view, "_SUCCESS", count);
        PartitionCommitContract.assertManifestsListEveryFileOnce(view);
        assertThat(audit.finished()).hasSize((int) EventTimeRecords.partitions(count, STEP_MILLIS)).doesNotHaveDuplicates();
    }

    private FileSink<String> sink(PartitionCommit partitionCommit) {
        return PartitionCommitContract.sink(new Path(out.toUri()), FileSystemStorage.INSTANCE, partitionCommit);
    }

    private static boolean isReal(String partition) {
        return !partition.equals(EventTimeRecords.TAIL_PARTITION);
    }
}
