package dev.filesink.partitioncommit;

/**
 * What a writer does with a late record: one whose partition's end plus the commit delay is at or before the writer
 * subtask's current watermark. Decided by each writer subtask from its own watermark, like Flink's own lateness: a
 * superset of "the partition was already announced" (the partition committer waits for every subtask's watermark).
 */
public enum LateRecordHandling {
    /** Write it; files committed after the partition was announced lead to another announcement (2, 3...). */
    WRITE_AND_ANNOUNCE_AGAIN,
    /** Drop it and count it ({@code lateRecordsDropped}). */
    DROP,
    /** Fail the job, naming the bucket, the record's timestamp and the watermark. */
    FAIL
}
