package dev.filesink.partitioncommit;

import dev.filesink.testing.GoldenFiles;

import org.apache.flink.core.fs.Path;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The partition committer's state of version 1 is checked in and must keep restoring. */
class PartitionCommitterStateSerializerTest {

    private static final java.nio.file.Path RESOURCES = java.nio.file.Path.of("src/test/resources/serialized");

    private final PartitionCommit settings = PartitionCommit.builder().successFile().build();
    private final PartitionCommitterStateSerializer serializer = new PartitionCommitterStateSerializer(settings);

    @Test
    void stateOfVersion1StillRestores() throws Exception {
        byte[] bytes = GoldenFiles.read(RESOURCES, "partition-committer-state-v1.bin",
                () -> serializer.serialize(fixture()));

        PartitionCommitterState state = serializer.deserialize(1, bytes);

        assertThat(state.seriesId()).isEqualTo("0d6c5e7a-0000-4000-8000-000000000013");
        PartitionLedger ledger = state.ledger();
        assertThat(ledger.bucketIds()).containsExactly("2026-11-24--09", "2026-11-24--10");
        PartitionLedger.Partition announced = ledger.partitions.get("2026-11-24--09");
        assertThat(announced.announcements).isEqualTo(1);
        assertThat(announced.announcedFiles).isEqualTo(1);
        assertThat(announced.files).containsExactly(file("2026-11-24--09", 3));
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
        assertThat(serializer.serialize(serializer.deserialize(1, bytes))).isEqualTo(bytes);
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
        return new PartitionCommitterState("0d6c5e7a-0000-4000-8000-000000000013", ledger, inbox);
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
