package dev.filesink.partitioncommit;

import dev.filesink.testing.GoldenFiles;

import org.apache.flink.core.fs.Path;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The partition committer's state of versions 1 and 2 is checked in and must keep restoring; the state of announced
 * partitions stays small.
 */
class PartitionCommitterStateSerializerTest {

    private static final java.nio.file.Path RESOURCES = java.nio.file.Path.of("src/test/resources/serialized");
    private static final String SERIES = "0d6c5e7a-0000-4000-8000-000000000013";

    private final PartitionCommit settings = PartitionCommit.builder().successFile().build();
    private final PartitionCommitterStateSerializer serializer = new PartitionCommitterStateSerializer(settings);

    /** Version 1 kept the files of announced partitions; restored, they become the partition's totals. */
    @Test
    void stateOfVersion1StillRestores() throws Exception {
        byte[] bytes = GoldenFiles.readFromOlderRelease(RESOURCES, "partition-committer-state-v1.bin");

        PartitionCommitterState state = serializer.deserialize(1, bytes);

        assertThat(state.ledger().partitions.get("2026-11-24--09").lastActivity).as("as version 1 kept it")
                .isEqualTo(1_000);
        byte[] rewritten = serializer.serialize(state);
        assertFixture(state);
        assertFixture(serializer.deserialize(2, rewritten));
    }

    @Test
    void stateOfVersion2StillRestores() throws Exception {
        byte[] bytes = GoldenFiles.read(RESOURCES, "partition-committer-state-v2.bin",
                () -> serializer.serialize(fixture()));

        PartitionCommitterState state = serializer.deserialize(2, bytes);

        assertFixture(state);
        assertThat(serializer.serialize(serializer.deserialize(2, bytes))).isEqualTo(bytes);
    }

    /**
     * 10,000 hourly partitions of 20 files each, all announced: the state holds no path of them and stays small
     * (the size is printed for docs/partition-commit.md).
     */
    @Test
    void announcedPartitionsKeepOnlyACompactEntry() throws Exception {
        PartitionLedger ledger = new PartitionLedger(settings);
        Instant start = Instant.parse("2025-01-01T00:00:00Z");
        int partitions = 10_000;
        for (int p = 0; p < partitions; p++) {
            Instant hour = start.plusSeconds(3600L * p);
            String bucketId = "dt=" + hour.toString().substring(0, 10) + "/hour=" + hour.toString().substring(11, 13);
            List<CommittedFileInfo> files = new ArrayList<>();
            for (int f = 0; f < 20; f++) {
                files.add(new CommittedFileInfo(bucketId, new Path("s3://bucket/table/" + bucketId
                        + "/part-6f1c2a9e-" + f + "-" + p), 128L * 1024 * 1024, 1_000_000, p,
                        hour.toEpochMilli() + f, hour.toEpochMilli() + 3_599_000L));
            }
            ledger.apply(new CheckpointInbox.CheckpointBatch(p, files, List.of()), 1_000L * p);
            if (p % 100 == 99) { // a day's partitions and more at a time: the ledger is not built for a test's speed
                for (PartitionLedger.Due due : ledger.completePartitions(1_000L * p, true)) {
                    ledger.announced(due);
                }
            }
        }
        byte[] bytes = serializer.serialize(new PartitionCommitterState(SERIES, ledger, new CheckpointInbox()));

        System.out.printf("partition committer state: %,d announced partitions of 20 files -> %,d bytes (%.1f per"
                + " partition)%n", partitions, bytes.length, bytes.length / (double) partitions);
        assertThat(bytes.length).isLessThan(300 * 1024);
        assertThat(new String(bytes, StandardCharsets.ISO_8859_1)).doesNotContain("part-6f1c2a9e");
        PartitionLedger restored = serializer.deserialize(2, bytes).ledger();
        assertThat(restored.bucketIds()).hasSize(partitions);
        PartitionLedger.Partition last = restored.partitions.get("dt=2026-02-21/hour=15");
        assertThat(last.files).isEmpty();
        assertThat(last.announcements).isEqualTo(1);
        assertThat(last.announced).isEqualTo(new CommittedPartition.Totals(20, 20_000_000, 20L * 128 * 1024 * 1024,
                Instant.parse("2026-02-21T15:00:00Z"), Instant.parse("2026-02-21T15:59:59Z")));
    }

    /** A late file for an announced partition is announced alone, with the totals of all its files. */
    @Test
    void aLaterAnnouncementCarriesOnlyTheNewFilesAfterARestore() throws Exception {
        PartitionLedger ledger = serializer.deserialize(2, serializer.serialize(fixture())).ledger();
        ledger.apply(new CheckpointInbox.CheckpointBatch(5, List.of(file("2026-11-24--09", 5)), List.of()), 3_000);

        List<PartitionLedger.Due> due = ledger.completePartitions(3_000, true);

        assertThat(due).extracting(PartitionLedger.Due::bucketId).containsExactly("2026-11-24--09");
        assertThat(due.get(0).announcement()).isEqualTo(2);
        assertThat(due.get(0).files()).containsExactly(file("2026-11-24--09", 5));
        assertThat(due.get(0).totals().files()).isEqualTo(2);
        assertThat(due.get(0).totals().records()).isEqualTo(2);
        assertThat(due.get(0).totals().bytes()).isEqualTo(12);
    }

    private void assertFixture(PartitionCommitterState state) {
        assertThat(state.seriesId()).isEqualTo(SERIES);
        PartitionLedger ledger = state.ledger();
        assertThat(ledger.bucketIds()).containsExactly("2026-11-24--09", "2026-11-24--10");
        PartitionLedger.Partition announced = ledger.partitions.get("2026-11-24--09");
        assertThat(announced.announcements).isEqualTo(1);
        assertThat(announced.files).as("announced files are only counted").isEmpty();
        assertThat(announced.announced).isEqualTo(new CommittedPartition.Totals(1, 1, 6,
                Instant.ofEpochMilli(1_764_000_000_000L), Instant.ofEpochMilli(1_764_000_001_000L)));
        assertThat(ledger.partitions.get("2026-11-24--10").lastActivity).isEqualTo(2_000);
        assertThat(ledger.latestProgress.values()).containsExactly(progress(0), progress(1));
        assertThat(state.inbox().takenUpTo).isEqualTo(3);
        assertThat(state.inbox().endedAt).containsEntry(1, 3L);
        assertThat(state.inbox().endedAmong).isEqualTo(2);
        List<CheckpointInbox.CheckpointBatch> pending = state.inbox().takeComplete();
        assertThat(pending).singleElement().satisfies(batch -> {
            assertThat(batch.checkpointId()).isEqualTo(4);
            assertThat(batch.files()).containsExactly(file("2026-11-24--10", 4));
            assertThat(batch.progress()).containsExactly(progress(0));
        });
    }

    private PartitionCommitterState fixture() {
        PartitionLedger ledger = new PartitionLedger(settings);
        ledger.apply(new CheckpointInbox.CheckpointBatch(3, List.of(file("2026-11-24--09", 3)),
                List.of(progress(0), progress(1))), 1_000);
        ledger.announced(ledger.completePartitions(1_000, true).get(0));
        ledger.apply(new CheckpointInbox.CheckpointBatch(3, List.of(), List.of()), 2_000);
        ledger.partitions.computeIfAbsent("2026-11-24--10", id -> new PartitionLedger.Partition()).lastActivity = 2_000;
        CheckpointInbox inbox = new CheckpointInbox();
        inbox.takenUpTo = 3;
        inbox.endedAt.put(1, 3L);
        inbox.endedAmong = 2;
        inbox.summary(4, 0, 2, 2);
        inbox.file(4, 0, file("2026-11-24--10", 4));
        inbox.progress(4, 0, progress(0));
        return new PartitionCommitterState(SERIES, ledger, inbox);
    }

    private static CommittedFileInfo file(String bucket, long checkpoint) {
        return new CommittedFileInfo(bucket, new Path("file:/base/" + bucket + "/part-u-" + checkpoint), 6, 1,
                checkpoint, 1_764_000_000_000L, 1_764_000_001_000L);
    }

    private static WriterProgress progress(int subtask) {
        return new WriterProgress(subtask, 2, 1_764_000_000_000L, Set.of("2026-11-24--10"), Set.of("2026-11-24--10"),
                subtask == 1);
    }
}
