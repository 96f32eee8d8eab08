package dev.filesink.testing.partitioncommit;

import dev.filesink.partitioncommit.CommittedPartition;
import dev.filesink.partitioncommit.PartitionCommitPolicy;

/** A custom policy that does nothing but be called (its calls are recorded when wrapped in a {@link FlakyPolicy}). */
public final class RecordingPolicy implements PartitionCommitPolicy {

    private static final long serialVersionUID = 1L;

    private final String name;

    public RecordingPolicy(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void commit(CommittedPartition partition) {
        if (partition.files().isEmpty()) {
            throw new IllegalStateException("Announced without files: " + partition);
        }
    }
}
