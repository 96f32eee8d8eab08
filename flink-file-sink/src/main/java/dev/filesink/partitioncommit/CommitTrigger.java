package dev.filesink.partitioncommit;

/** When a partition counts as complete; see docs/partition-commit.md. */
public enum CommitTrigger {
    /**
     * When every writer subtask's watermark passed the partition's end plus the delay, no writer holds uncommitted
     * data of the partition, and everything up to that checkpoint is committed.
     */
    PARTITION_TIME,
    /** When no writer reported records for the partition for the delay and nothing of it is uncommitted. */
    PROCESS_TIME
}
