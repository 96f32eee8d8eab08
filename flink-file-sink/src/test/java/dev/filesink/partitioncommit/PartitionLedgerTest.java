package dev.filesink.partitioncommit;

import org.apache.flink.core.fs.Path;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The trigger decisions, fed as the committers would feed them. */
class PartitionLedgerTest {

    private static final String P10 = "2026-12-04--10";
    private static final String P11 = "2026-12-04--11";
    private static final long END_10 = Instant.parse("2026-12-04T11:00:00Z").toEpochMilli();

    private final PartitionCommit settings = PartitionCommit.builder()
            .timeExtractor(PartitionTimeExtractor.defaultBucketIds().withZone(ZoneOffset.UTC))
            .delay(Duration.ofMinutes(1))
            .successFile()
            .build();

    @Test
    void eventTimeWaitsForEveryWriterAndForUncommittedData() {
        PartitionLedger ledger = new PartitionLedger(settings);
        long closing = END_10 + 60_000;
        ledger.apply(batch(1, List.of(file(P10, 1)), progress(0, 2, closing, Set.of()), progress(1, 2, closing - 1, Set.of())), 0);
        assertThat(ledger.completePartitions(0, false)).as("subtask 1's watermark is short").isEmpty();

        ledger.apply(batch(2, List.of(), progress(0, 2, closing, Set.of()), progress(1, 2, closing, Set.of(P10))), 0);
        assertThat(ledger.completePartitions(0, false)).as("subtask 1 still has an open file of it").isEmpty();

        ledger.apply(batch(3, List.of(file(P10, 3)), progress(0, 2, closing, Set.of()), progress(1, 2, closing, Set.of())), 0);
        List<PartitionLedger.Due> due = ledger.completePartitions(0, false);
        assertThat(due).singleElement().satisfies(partition -> {
            assertThat(partition.bucketId()).isEqualTo(P10);
            assertThat(partition.announcement()).isEqualTo(1);
            assertThat(partition.files()).hasSize(2);
        });
        ledger.announced(due.get(0));
        assertThat(ledger.completePartitions(0, false)).as("announced once").isEmpty();
        assertThat(ledger.partitions.get(P10).files).as("an announced partition keeps no file list").isEmpty();

        ledger.apply(batch(4, List.of(file(P10, 4)), progress(0, 2, closing, Set.of()), progress(1, 2, closing, Set.of())), 0);
        assertThat(ledger.completePartitions(0, false)).singleElement().satisfies(partition -> {
            assertThat(partition.announcement()).isEqualTo(2);
            assertThat(partition.files()).as("only the files since announcement 1").hasSize(1);
            assertThat(partition.totals().files()).isEqualTo(3);
        });
    }

    @Test
    void aMissingWriterOrARescaleDecidesNothingUntilEveryWriterReported() {
        PartitionLedger ledger = new PartitionLedger(settings);
        long late = Long.MAX_VALUE - 1;
        ledger.apply(batch(1, List.of(file(P10, 1)), progress(0, 3, late, Set.of()), progress(2, 3, late, Set.of())), 0);
        assertThat(ledger.hasProgressOfEveryWriter()).isFalse();
        assertThat(ledger.completePartitions(0, false)).as("subtask 1 of 3 is missing").isEmpty();

        // Restored at parallelism 1 from a checkpoint of parallelism 3: the reports of parallelism 3 are dropped.
        ledger.apply(batch(2, List.of(), progress(0, 1, late, Set.of())), 0);
        assertThat(ledger.completePartitions(0, false)).extracting(PartitionLedger.Due::bucketId).containsExactly(P10);
    }

    @Test
    void processingTimeWaitsForTheDelayWithoutRecords() {
        PartitionCommit processTime = PartitionCommit.builder().processTime().delay(Duration.ofSeconds(10))
                .successFile().build();
        PartitionLedger ledger = new PartitionLedger(processTime);
        ledger.apply(batch(1, List.of(file("any", 1)), progress(0, 1, Long.MIN_VALUE, Set.of())), 1_000);
        ledger.apply(batch(2, List.of(), progressWithRecords(0, 1, Set.of("any"))), 5_000);
        assertThat(ledger.completePartitions(14_999, false)).isEmpty();
        assertThat(ledger.completePartitions(15_000, false)).extracting(PartitionLedger.Due::bucketId)
                .containsExactly("any");
    }

    @Test
    void theEndOfInputCompletesEveryPartition() {
        PartitionLedger ledger = new PartitionLedger(settings);
        ledger.apply(batch(1, List.of(file(P10, 1), file(P11, 1)),
                new WriterProgress(0, 1, Long.MIN_VALUE, Set.of(), Set.of(), true)), 0);
        assertThat(ledger.completePartitions(0, false)).extracting(PartitionLedger.Due::bucketId)
                .containsExactly(P10, P11);
    }

    @Test
    void theInboxWaitsForEveryCommitterSubtaskAndTakesEarlierCheckpointsAlong() {
        CheckpointInbox inbox = new CheckpointInbox();
        inbox.summary(5, 0, 2, 2);
        inbox.file(5, 0, file(P10, 5));
        inbox.progress(5, 0, progress(0, 2, 0, Set.of()));
        assertThat(inbox.takeComplete()).as("committer subtask 1 did not report").isEmpty();
        inbox.summary(5, 1, 2, 1);
        inbox.summary(5, 1, 2, 1); // a replay after a restore starts the subtask's batch again
        assertThat(inbox.takeComplete()).isEmpty();
        inbox.progress(5, 1, progress(1, 2, 0, Set.of()));
        assertThat(inbox.takeComplete()).singleElement().satisfies(batch -> {
            assertThat(batch.files()).hasSize(1);
            assertThat(batch.progress()).hasSize(2);
        });
        assertThat(inbox.isEmpty()).isTrue();

        inbox.summary(5, 0, 2, 1); // a replay of a checkpoint already taken: ignored
        assertThat(inbox.isEmpty()).isTrue();
    }

    @Test
    void aCommitterSubtaskWhoseWriterEndedIsNotWaitedFor() {
        CheckpointInbox inbox = new CheckpointInbox();
        inbox.summary(7, 0, 2, 1);
        inbox.progress(7, 0, new WriterProgress(0, 2, Long.MAX_VALUE, Set.of(), Set.of(), true));
        inbox.summary(7, 1, 2, 1);
        inbox.progress(7, 1, progress(1, 2, 0, Set.of()));
        assertThat(inbox.takeComplete()).hasSize(1);
        inbox.summary(8, 1, 2, 1);
        inbox.progress(8, 1, progress(1, 2, 0, Set.of()));
        assertThat(inbox.takeComplete()).as("subtask 0 ended at checkpoint 7").hasSize(1);

        // Rescaled to three committer subtasks: subtask 0 is another one now, and is waited for.
        inbox.summary(9, 1, 3, 0);
        inbox.summary(9, 2, 3, 0);
        assertThat(inbox.takeComplete()).isEmpty();
        inbox.summary(9, 0, 3, 0);
        assertThat(inbox.takeComplete()).hasSize(1);
    }

    static CommittedFileInfo file(String bucket, long checkpoint) {
        return new CommittedFileInfo(bucket, new Path("/base/" + bucket + "/part-" + checkpoint), 10, 1, checkpoint,
                Long.MIN_VALUE, Long.MIN_VALUE);
    }

    static WriterProgress progress(int subtask, int parallelism, long watermark, Set<String> uncommitted) {
        return new WriterProgress(subtask, parallelism, watermark, uncommitted, Set.of(), false);
    }

    static WriterProgress progressWithRecords(int subtask, int parallelism, Set<String> withRecords) {
        return new WriterProgress(subtask, parallelism, Long.MIN_VALUE, Set.of(), withRecords, false);
    }

    static CheckpointInbox.CheckpointBatch batch(long checkpoint, List<CommittedFileInfo> files, WriterProgress... progress) {
        return new CheckpointInbox.CheckpointBatch(checkpoint, files, List.of(progress));
    }
}
