package dev.filesink.hive;

import dev.filesink.partitioncommit.CommittedPartition;

import org.apache.flink.core.fs.Path;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A {@link CommittedPartition} built by hand, as the sink's partition committer would announce it. */
public final class TestPartition implements CommittedPartition {

    private final String bucketId;
    private final Path location;
    private final Map<String, String> partitionValues;
    private final int announcement;

    private TestPartition(String bucketId, Path location, Map<String, String> partitionValues, int announcement) {
        this.bucketId = bucketId;
        this.location = location;
        this.partitionValues = partitionValues;
        this.announcement = announcement;
    }

    /**
     * The partition of {@code bucketId} below {@code basePath}, its values parsed from the bucket id's {@code
     * key=value} segments in path order (as the sink does).
     */
    public static TestPartition of(Path basePath, String bucketId) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String segment : bucketId.split("/")) {
            int equals = segment.indexOf('=');
            if (equals > 0) {
                values.put(segment.substring(0, equals), segment.substring(equals + 1));
            }
        }
        return new TestPartition(bucketId, new Path(basePath, bucketId), values, 1);
    }

    /** The same partition announced again (late records were written into it). */
    public TestPartition announcement(int number) {
        return new TestPartition(bucketId, location, partitionValues, number);
    }

    /** The same bucket and values at another location. */
    public TestPartition at(Path otherLocation) {
        return new TestPartition(bucketId, otherLocation, partitionValues, announcement);
    }

    @Override
    public String bucketId() {
        return bucketId;
    }

    @Override
    public Path location() {
        return location;
    }

    @Override
    public Map<String, String> partitionValues() {
        return partitionValues;
    }

    @Override
    public Instant partitionTime() {
        return null;
    }

    @Override
    public int announcement() {
        return announcement;
    }

    @Override
    public List<CommittedFile> files() {
        return List.of();
    }

    @Override
    public Totals totals() {
        return Totals.NONE;
    }
}
