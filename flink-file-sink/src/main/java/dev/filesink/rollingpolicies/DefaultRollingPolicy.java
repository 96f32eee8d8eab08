package dev.filesink.rollingpolicies;

import dev.filesink.partfile.PartFileStatistics;

import org.apache.flink.configuration.MemorySize;
import org.apache.flink.streaming.api.functions.sink.filesystem.PartFileInfo;
import org.apache.flink.streaming.api.functions.sink.filesystem.RollingPolicy;

import java.io.IOException;
import java.time.Duration;

/**
 * Rolls a part file when it reaches a size, an age (rollover interval), a time without writes (inactivity
 * interval) or a number of records. Time limits are checked every bucket check interval, also when no records
 * arrive. Files may span checkpoints; a checkpoint rolls only a file already past the size limit.
 */
public final class DefaultRollingPolicy<IN, BucketID> implements RollingPolicy<IN, BucketID> {

    private static final long serialVersionUID = 1L;

    public static final long DEFAULT_MAX_PART_SIZE = 128L * 1024 * 1024;
    public static final long DEFAULT_ROLLOVER_INTERVAL = 60_000L;
    public static final long DEFAULT_INACTIVITY_INTERVAL = 60_000L;

    private final long maxPartSize;
    private final long rolloverInterval;
    private final long inactivityInterval;
    private final long maxRecordCount;

    private DefaultRollingPolicy(long maxPartSize, long rolloverInterval, long inactivityInterval, long maxRecordCount) {
        this.maxPartSize = maxPartSize;
        this.rolloverInterval = rolloverInterval;
        this.inactivityInterval = inactivityInterval;
        this.maxRecordCount = maxRecordCount;
    }

    public static PolicyBuilder builder() {
        return new PolicyBuilder();
    }

    @Override
    public boolean shouldRollOnCheckpoint(PartFileInfo<BucketID> partFile) throws IOException {
        return partFile.getSize() > maxPartSize;
    }

    @Override
    public boolean shouldRollOnEvent(PartFileInfo<BucketID> partFile, IN element) throws IOException {
        if (partFile.getSize() > maxPartSize) {
            return true;
        }
        return maxRecordCount > 0
                && partFile instanceof PartFileStatistics
                && ((PartFileStatistics<BucketID>) partFile).getRecordCount() >= maxRecordCount;
    }

    @Override
    public boolean shouldRollOnProcessingTime(PartFileInfo<BucketID> partFile, long currentTime) {
        return currentTime - partFile.getCreationTime() >= rolloverInterval
                || currentTime - partFile.getLastUpdateTime() >= inactivityInterval;
    }

    public long getMaxPartSize() {
        return maxPartSize;
    }

    public long getRolloverInterval() {
        return rolloverInterval;
    }

    public long getInactivityInterval() {
        return inactivityInterval;
    }

    /** The most records a part file gets; 0 means no limit. */
    public long getMaxRecordCount() {
        return maxRecordCount;
    }

    @Override
    public String toString() {
        return "DefaultRollingPolicy{maxPartSize=" + maxPartSize + ", rolloverInterval=" + rolloverInterval
                + ", inactivityInterval=" + inactivityInterval + ", maxRecordCount=" + maxRecordCount + '}';
    }

    /** Builds a {@link DefaultRollingPolicy}; every limit is validated here, naming the option. */
    public static final class PolicyBuilder {

        private long maxPartSize = DEFAULT_MAX_PART_SIZE;
        private long rolloverInterval = DEFAULT_ROLLOVER_INTERVAL;
        private long inactivityInterval = DEFAULT_INACTIVITY_INTERVAL;
        private long maxRecordCount;

        private PolicyBuilder() {}

        public PolicyBuilder withMaxPartSize(MemorySize size) {
            return withMaxPartSize(size.getBytes());
        }

        public PolicyBuilder withMaxPartSize(long bytes) {
            this.maxPartSize = positive("maxPartSize", bytes);
            return this;
        }

        public PolicyBuilder withRolloverInterval(Duration interval) {
            this.rolloverInterval = positive("rolloverInterval", interval.toMillis());
            return this;
        }

        public PolicyBuilder withInactivityInterval(Duration interval) {
            this.inactivityInterval = positive("inactivityInterval", interval.toMillis());
            return this;
        }

        /** Rolls a part file once it holds this many records. */
        public PolicyBuilder withMaxRecordCount(long records) {
            this.maxRecordCount = positive("maxRecordCount", records);
            return this;
        }

        public <IN, BucketID> DefaultRollingPolicy<IN, BucketID> build() {
            return new DefaultRollingPolicy<>(maxPartSize, rolloverInterval, inactivityInterval, maxRecordCount);
        }

        private static long positive(String option, long value) {
            if (value <= 0) {
                throw new IllegalArgumentException(option + " must be positive, was " + value);
            }
            return value;
        }
    }
}
