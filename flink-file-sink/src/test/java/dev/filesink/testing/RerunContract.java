package dev.filesink.testing;

import org.junit.jupiter.api.Test;

/**
 * The rerun scenarios ({@link RerunScenarios}) as tests: a storage module's test class extends this and names its
 * storage, so every storage runs the same four.
 */
public abstract class RerunContract {

    /** The storage under test; its server is started by the subclass. */
    protected abstract RerunScenarios.StorageUnderTest storage();

    @Test
    void sameJobIdRunTwice() throws Exception {
        new RerunScenarios(storage()).sameJobIdRunTwiceKeepsBothRuns("same-job-id");
    }

    @Test
    void sameJobGraphRunTwice() throws Exception {
        new RerunScenarios(storage()).sameJobGraphRunTwiceFailsLoudlyAndOverwritesNothing("same-job-graph");
    }

    @Test
    void twoJobsSharingABasePath() throws Exception {
        new RerunScenarios(storage()).twoJobsSharingABasePathKeepEachOthersFiles("shared-base-path");
    }

    @Test
    protected void aFilePlacedAtATargetByHand() throws Exception {
        new RerunScenarios(storage()).aFilePlacedAtATargetByHandFailsTheJob("by-hand");
    }
}
