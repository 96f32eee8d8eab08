package dev.filesink.partitioncommit;

import dev.filesink.FileSink;
import dev.filesink.rollingpolicies.DefaultRollingPolicy;
import dev.filesink.testing.RescaleRuns;
import dev.filesink.testing.VisibleOutputWatcher;
import dev.filesink.testing.partitioncommit.EventTimeRecords;
import dev.filesink.testing.partitioncommit.OutputView;
import dev.filesink.testing.partitioncommit.PartitionCommitContract;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.serialization.SimpleStringEncoder;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Partition commit across a rescale: a savepoint at parallelism 2 after the first announcements, restored at 3. The
 * partition committer's state (announcements, series) carries over; writers of the new parallelism report anew.
 */
class PartitionCommitRescaleITCase {

    private static final long COUNT = 3_000;
    private static final long STEP_MILLIS = 12_000;

    @TempDir java.nio.file.Path out;
    @TempDir java.nio.file.Path savepoints;

    @Test
    void announcesEveryPartitionOnceAcrossARescale() throws Exception {
        OutputView view = OutputView.local(out);
        try (RescaleRuns runs = RescaleRuns.start(4, savepoints);
                VisibleOutputWatcher watcher = PartitionCommitContract.watchSuccessFiles(view, "_SUCCESS")) {
            JobID first = runs.submit(job(2), null);
            String savepoint = runs.stopWithSavepointWhen(first,
                    () -> PartitionCommitContract.successFiles(view.list(), "_SUCCESS").size() >= 2);

            JobID second = runs.submit(job(3), savepoint);
            runs.awaitSuccess(second);
            assertThat(watcher.violations()).isEmpty();
        }
        PartitionCommitContract.assertCompleteAndExactlyOnce(view, "_SUCCESS", COUNT, PartitionCommitRescaleITCase::isReal);
        PartitionCommitContract.assertManifestsListEveryFileOnce(view, PartitionCommitRescaleITCase::isReal);
    }

    private StreamExecutionEnvironment job(int parallelism) {
        StreamExecutionEnvironment env = RescaleRuns.environment(parallelism, 150, null);
        // Split between two source splits: records 0..2999 and 1000 tail records, then tail records only; restored
        // at parallelism 3, the third source subtask gets no split and ends at once.
        EventTimeRecords.source(env, COUNT, COUNT + 2_000, 2_000, STEP_MILLIS)
                .uid("records")
                .sinkTo(FileSink.forRowFormat(new Path(out.toUri()), new SimpleStringEncoder<String>())
                        .withBucketAssigner(new EventTimeRecords.HourAssigner())
                        .withRollingPolicy(DefaultRollingPolicy.builder().withMaxRecordCount(100).build())
                        .withPartitionCommit(PartitionCommitContract.eventTimeSettings()
                                .successFileWithJson()
                                .checkpointManifests(true)
                                .build())
                        .build())
                .uid("file-sink");
        return env;
    }

    private static boolean isReal(String partition) {
        return !partition.equals(EventTimeRecords.TAIL_PARTITION);
    }
}
