package dev.filesink.partfile;

/** Why an in-progress part file was closed for commit (a metric per reason, see docs/metrics.md). */
public enum RollReason {
    /** The rolling policy said so for an incoming record (size, record count). */
    EVENT,
    /** A checkpoint was taken and the rolling policy rolls on checkpoints (bulk formats always do). */
    CHECKPOINT,
    /** The rolling policy's time limits (rollover or inactivity interval) were reached. */
    PROCESSING_TIME,
    /** The input ended. */
    END_OF_INPUT,
    /** The limit on open part files or on buffered memory was reached. */
    CAPACITY,
    /** After a restore with a lower parallelism, two in-progress files of one bucket met; one is committed. */
    MERGE,
    /** The part file's format asked for a new file before the next record (e.g. Avro, Parquet: a new schema). */
    FORMAT,
    /** Partition commit: the bucket's partition is due (event time passed it, or it was idle for the delay). */
    PARTITION_DUE,
    /** The part file's storage stream asked for a new file before the next record (e.g. Azure: near the block limit). */
    STORAGE
}
