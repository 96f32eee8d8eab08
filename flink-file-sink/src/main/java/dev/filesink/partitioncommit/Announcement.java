package dev.filesink.partitioncommit;

import org.apache.flink.core.fs.Path;

import javax.annotation.Nullable;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A partition as handed to the policies for one announcement. */
final class Announcement implements CommittedPartition {

    private final PartitionLedger.Due due;
    private final Path location;
    private final Instant partitionTime;

    Announcement(PartitionLedger.Due due, Path basePath, PartitionTimeExtractor extractor) {
        this.due = due;
        this.location = due.bucketId().isEmpty() ? basePath : new Path(basePath, due.bucketId());
        Instant time;
        try {
            time = extractor.start(due.bucketId());
        } catch (IllegalArgumentException e) {
            time = null; // BATCH and processing time announce buckets whose ids carry no time
        }
        this.partitionTime = time;
    }

    @Override
    public String bucketId() {
        return due.bucketId();
    }

    @Override
    public Path location() {
        return location;
    }

    @Override
    public Map<String, String> partitionValues() {
        return PartitionTimeExtractor.partitionValues(due.bucketId());
    }

    @Nullable
    @Override
    public Instant partitionTime() {
        return partitionTime;
    }

    @Override
    public int announcement() {
        return due.announcement();
    }

    @Override
    public List<CommittedFile> files() {
        return List.copyOf(due.files());
    }

    @Override
    public Totals totals() {
        return due.totals();
    }

    @Override
    public String toString() {
        return "CommittedPartition{" + due.bucketId() + ", announcement " + due.announcement() + ", "
                + due.files().size() + " files (" + due.totals().files() + " in all)}";
    }
}
