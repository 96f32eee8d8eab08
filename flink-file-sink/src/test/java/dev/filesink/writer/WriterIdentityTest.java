package dev.filesink.writer;

import dev.filesink.partfile.PartFileNaming;
import dev.filesink.storage.OrphanFilter;

import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

class WriterIdentityTest {

    private final PartFileNaming naming = new PartFileNaming(OutputFileConfig.builder().build());

    @Test
    void aFirstAttemptOfAFreshJobHasNoOrphans() {
        WriterIdentity identity = WriterIdentity.derive(List.of(), "run", "job", 0, OptionalLong.empty(), 0);
        assertThat(identity.mayHaveOrphans()).isFalse();
    }

    @Test
    void aRetriedAttemptGetsTheSameUidAndDiscardsAllItsFiles() {
        WriterIdentity first = WriterIdentity.derive(List.of(), "run", "job", 3, OptionalLong.empty(), 0);
        WriterIdentity retry = WriterIdentity.derive(List.of(), "run", "job", 3, OptionalLong.empty(), 1);
        assertThat(retry.uid()).isEqualTo(first.uid());
        OrphanFilter filter = retry.orphanFilter(naming);
        assertThat(filter.isOrphan(naming.name(first.uid(), 0))).isTrue();
        assertThat(filter.isOrphan(naming.name(first.uid(), 99))).isTrue();
        // Other subtasks' files are not ours to discard.
        String otherUid = WriterIdentity.derive(List.of(), "run", "job", 4, OptionalLong.empty(), 0).uid();
        assertThat(otherUid).isNotEqualTo(first.uid());
        assertThat(filter.isOrphan(naming.name(otherUid, 0))).isFalse();
    }

    @Test
    void aRestoredWriterDiscardsOnlyFilesOpenedAfterTheCheckpoint() {
        FileWriterState restored = new FileWriterState("old-uid", 5, List.of());
        WriterIdentity identity = WriterIdentity.derive(List.of(restored), "run", "job", 0, OptionalLong.of(12), 1);
        OrphanFilter filter = identity.orphanFilter(naming);
        assertThat(filter.isOrphan(naming.name("old-uid", 4))).isFalse();
        assertThat(filter.isOrphan(naming.name("old-uid", 5))).isTrue();
        assertThat(filter.isOrphan(naming.name(identity.uid(), 0))).isTrue();
        assertThat(identity.uid()).isNotEqualTo("old-uid");
    }

    @Test
    void restoringTheSameCheckpointInAnotherJobGivesNewNames() {
        FileWriterState restored = new FileWriterState("old-uid", 5, List.of());
        String sameJob = WriterIdentity.derive(List.of(restored), "run", "job", 0, OptionalLong.of(12), 0).uid();
        String again = WriterIdentity.derive(List.of(restored), "run", "job", 0, OptionalLong.of(12), 3).uid();
        String otherJob = WriterIdentity.derive(List.of(restored), "run", "job2", 0, OptionalLong.of(12), 0).uid();
        String otherCheckpoint = WriterIdentity.derive(List.of(restored), "run", "job", 0, OptionalLong.of(13), 0).uid();
        assertThat(again).isEqualTo(sameJob);
        assertThat(otherJob).isNotEqualTo(sameJob);
        assertThat(otherCheckpoint).isNotEqualTo(sameJob);
    }

    @Test
    void aWriterThatMergesSeveralStatesDiscardsTheOrphansOfEach() {
        WriterIdentity identity = WriterIdentity.derive(
                List.of(new FileWriterState("b", 2, List.of()), new FileWriterState("a", 7, List.of())),
                "run", "job", 0, OptionalLong.of(3), 0);
        OrphanFilter filter = identity.orphanFilter(naming);
        assertThat(filter.isOrphan(naming.name("a", 6))).isFalse();
        assertThat(filter.isOrphan(naming.name("a", 7))).isTrue();
        assertThat(filter.isOrphan(naming.name("b", 1))).isFalse();
        assertThat(filter.isOrphan(naming.name("b", 2))).isTrue();
    }

    @Test
    void aNewSubmissionNeverReusesTheNamesOfAnEarlierRunWithTheSameJobId() {
        // A pinned job id (application mode, $internal.pipeline.job-id) run twice from scratch: each run built its
        // sink anew, so each has its own run token.
        String firstRun = WriterIdentity.derive(List.of(), "run-1", "job", 0, OptionalLong.empty(), 0).uid();
        String secondRun = WriterIdentity.derive(List.of(), "run-2", "job", 0, OptionalLong.empty(), 0).uid();
        assertThat(secondRun).isNotEqualTo(firstRun);
        // The same savepoint restored twice, in two submissions with the same job id.
        FileWriterState restored = new FileWriterState("old-uid", 5, List.of());
        String firstRestore = WriterIdentity.derive(List.of(restored), "run-1", "job", 0, OptionalLong.of(12), 0).uid();
        String secondRestore = WriterIdentity.derive(List.of(restored), "run-2", "job", 0, OptionalLong.of(12), 0).uid();
        assertThat(secondRestore).isNotEqualTo(firstRestore);
    }

    @Test
    void concurrentAttemptsOfAFreshSubtaskGetUidsOfTheirOwnAndDiscardNothingOfEachOther() {
        WriterIdentity original = WriterIdentity.derive(List.of(), "run", "job", 2, OptionalLong.empty(), 0, true);
        WriterIdentity speculative = WriterIdentity.derive(List.of(), "run", "job", 2, OptionalLong.empty(), 1, true);
        assertThat(speculative.uid()).isNotEqualTo(original.uid());
        assertThat(speculative.mayHaveOrphans()).isFalse();
        assertThat(speculative.orphanFilter(naming).isOrphan(naming.name(original.uid(), 0))).isFalse();
        assertThat(original.discardsOwnFilesOnClose()).isTrue();
        assertThat(speculative.discardsOwnFilesOnClose()).isTrue();
        // Deterministic: the committer's view of a name never depends on chance.
        assertThat(WriterIdentity.derive(List.of(), "run", "job", 2, OptionalLong.empty(), 1, true).uid())
                .isEqualTo(speculative.uid());
    }

    @Test
    void aRestoredWriterIsTheSameWhetherOrNotAttemptsMayOverlap() {
        FileWriterState restored = new FileWriterState("old-uid", 5, List.of());
        WriterIdentity sequential = WriterIdentity.derive(List.of(restored), "run", "job", 0, OptionalLong.of(12), 1, false);
        WriterIdentity concurrent = WriterIdentity.derive(List.of(restored), "run", "job", 0, OptionalLong.of(12), 1, true);
        assertThat(concurrent.uid()).isEqualTo(sequential.uid());
        assertThat(concurrent.discardsOwnFilesOnClose()).isFalse();
        assertThat(concurrent.orphanFilter(naming).isOrphan(naming.name("old-uid", 5))).isTrue();
    }
}
