package dev.filesink.partitioncommit;

import org.apache.flink.core.fs.Path;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import javax.annotation.Nullable;

/** A complete partition, as the sink announces it to a {@link PartitionCommitPolicy}. */
public interface CommittedPartition {

    /** The bucket id, for example {@code "dt=2026-12-04/hour=10"} or {@code "2026-12-04--10"}. */
    String bucketId();

    /** Where the partition's files lie: the base path joined with the bucket id. */
    Path location();

    /**
     * The partition's {@code key=value} path segments in order, for example {@code {dt=2026-12-04, hour=10}}; empty
     * when the bucket id has none (a {@code DateTimeBucketAssigner} id).
     */
    Map<String, String> partitionValues();

    /** The start of the partition's time range, as extracted from its bucket id; null in BATCH without a pattern. */
    @Nullable
    Instant partitionTime();

    /**
     * 1 for the first announcement; 2, 3... when records that arrived late for the partition were written and the
     * partition is announced again (late-record policy {@code WRITE_AND_ANNOUNCE_AGAIN}).
     */
    int announcement();

    /**
     * The finished files this announcement covers, in commit order: for the first announcement every file committed
     * into the partition so far; for announcement 2, 3... only the files committed since the previous announcement
     * (the partition committer does not keep the file lists of announced partitions, only their {@link #totals()}).
     */
    List<CommittedFile> files();

    /** Statistics over every file this job committed into the partition so far, this announcement's included. */
    Totals totals();

    /**
     * Cumulative statistics of a partition.
     *
     * @param files the number of committed files
     * @param records their records, or -1 when unknown for any of them
     * @param bytes their bytes
     * @param minEventTime the earliest record timestamp, or null when unknown for any file
     * @param maxEventTime the latest record timestamp, or null when unknown for any file
     */
    record Totals(
            long files, long records, long bytes, @Nullable Instant minEventTime, @Nullable Instant maxEventTime) {

        /** No files. */
        public static final Totals NONE = new Totals(0, 0, 0, null, null);
    }

    /** One committed part file of the partition. */
    interface CommittedFile {
        /** The file's full path. */
        Path path();

        long bytes();

        /** Records in the file, or -1 when unknown (a file that compaction produced with a custom compactor). */
        long records();

        /** The checkpoint that committed it ({@code Long.MAX_VALUE} for the end of a BATCH job). */
        long checkpointId();

        /** The earliest and latest record timestamps in the file, or null when the records carried none. */
        @Nullable
        Instant minEventTime();

        @Nullable
        Instant maxEventTime();
    }
}
