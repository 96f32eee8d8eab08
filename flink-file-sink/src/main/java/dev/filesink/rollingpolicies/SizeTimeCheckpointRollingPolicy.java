package dev.filesink.rollingpolicies;

import dev.filesink.partfile.PartFileStatistics;

import org.apache.flink.streaming.api.functions.sink.filesystem.PartFileInfo;

import java.io.IOException;
import java.time.Duration;

/**
 * A bulk-format policy: rolls on every checkpoint, and also when a file passes a size, a record count or an age
 * (checked every bucket check interval).
 */
public final class SizeTimeCheckpointRollingPolicy<IN, BucketID> extends CheckpointRollingPolicy<IN, BucketID> {

    private static final long serialVersionUID = 1L;

    private final long maxPartSize;
    private final long maxRecordCount;
    private final long rolloverInterval;

    /**
     * @param maxPartSize bytes, or 0 for no size limit
     * @param maxRecordCount records, or 0 for no limit
     * @param rolloverInterval the longest a file stays open, or zero for no limit
     */
    public SizeTimeCheckpointRollingPolicy(long maxPartSize, long maxRecordCount, Duration rolloverInterval) {
        if (maxPartSize < 0 || maxRecordCount < 0 || rolloverInterval.isNegative()) {
            throw new IllegalArgumentException("maxPartSize, maxRecordCount and rolloverInterval must not be negative, were "
                    + maxPartSize + ", " + maxRecordCount + " and " + rolloverInterval);
        }
        this.maxPartSize = maxPartSize;
        this.maxRecordCount = maxRecordCount;
        this.rolloverInterval = rolloverInterval.toMillis();
    }

    @Override
    public boolean shouldRollOnEvent(PartFileInfo<BucketID> partFile, IN element) throws IOException {
        if (maxPartSize > 0 && partFile.getSize() >= maxPartSize) {
            return true;
        }
        return maxRecordCount > 0
                && partFile instanceof PartFileStatistics
                && ((PartFileStatistics<BucketID>) partFile).getRecordCount() >= maxRecordCount;
    }

    @Override
    public boolean shouldRollOnProcessingTime(PartFileInfo<BucketID> partFile, long currentTime) {
        return rolloverInterval > 0 && currentTime - partFile.getCreationTime() >= rolloverInterval;
    }
}
