package dev.filesink.partitioncommit;

import dev.filesink.FileSink;
import dev.filesink.rollingpolicies.DefaultRollingPolicy;
import dev.filesink.testing.Jobs;
import dev.filesink.testing.VisibleOutputWatcher;
import dev.filesink.testing.partitioncommit.EventTimeRecords;
import dev.filesink.testing.partitioncommit.OutputView;
import dev.filesink.testing.partitioncommit.PartitionCommitContract;

import org.apache.flink.api.common.serialization.SimpleStringEncoder;
import org.apache.flink.connector.file.sink.compactor.ConcatFileCompactor;
import org.apache.flink.connector.file.sink.compactor.FileCompactStrategy;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Compaction and partition commit in one sink (local folder, event time): a partition is announced with the compacted
 * files, not the small files they were made of, only once they are visible; every record exactly once.
 */
class CompactionPartitionCommitITCase {

    private static final long COUNT = 1_000;
    private static final long STEP_MILLIS = 14_400; // 250 records per hour partition, 4 partitions

    @TempDir java.nio.file.Path out;

    @Test
    void successFilesListTheCompactedFiles() throws Exception {
        StreamExecutionEnvironment env = Jobs.streaming(2, 150);
        // Source subtask 0 reads records 0..999 and 1000 tail records, subtask 1 only tail records: the real
        // partitions close (and are announced) while the job still runs.
        EventTimeRecords.source(env, COUNT, 3 * COUNT, 800, STEP_MILLIS)
                .sinkTo(FileSink.forRowFormat(new Path(out.toUri()), new SimpleStringEncoder<String>())
                        .withBucketAssigner(new EventTimeRecords.HourAssigner())
                        .withRollingPolicy(DefaultRollingPolicy.builder().withMaxRecordCount(20).build())
                        .withBucketCheckInterval(100)
                        .enableCompact(FileCompactStrategy.Builder.newBuilder().enableCompactionOnCheckpoint(2).build(),
                                new ConcatFileCompactor())
                        .withPartitionCommit(PartitionCommitContract.eventTimeSettings().successFileWithJson().build())
                        .build());

        OutputView view = OutputView.local(out);
        try (VisibleOutputWatcher watcher = PartitionCommitContract.watchSuccessFiles(view, "_SUCCESS")) {
            env.execute("compaction and partition commit");
            assertThat(watcher.violations()).isEmpty();
        }

        PartitionCommitContract.assertCompleteAndExactlyOnce(
                view, "_SUCCESS", COUNT, partition -> !partition.equals(EventTimeRecords.TAIL_PARTITION));
        // The contract checked that each success file lists exactly its partition's files at the end: compaction
        // inputs (deleted once compacted) are not listed. A file with nothing to merge with is handed on as it is.
        Set<String> successFiles = PartitionCommitContract.successFiles(view.list(), "_SUCCESS").keySet();
        assertThat(successFiles).hasSize((int) EventTimeRecords.partitions(COUNT, STEP_MILLIS));
        List<String> listed = new ArrayList<>();
        for (String successFile : successFiles) {
            List<String> files = PartitionCommitContract.listedFiles(view, successFile);
            assertThat(files).as("files %s lists", successFile)
                    .anySatisfy(path -> assertThat(path).contains("/compacted-part-"));
            listed.addAll(files);
        }
        assertThat(listed.size()).as("files listed, fewer than the %d small files of 20 records written", COUNT / 20)
                .isLessThan((int) (COUNT / 20));
        System.out.printf("%d files listed (compacted or handed on alone) for %d partitions%n", listed.size(),
                EventTimeRecords.partitions(COUNT, STEP_MILLIS));
    }
}
