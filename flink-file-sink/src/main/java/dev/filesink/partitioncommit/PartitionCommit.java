package dev.filesink.partitioncommit;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Partition commit as configured: when a partition (a bucket) counts as complete, and what is done then. Built with
 * {@link #builder()} and given to {@code FileSink...withPartitionCommit}; see docs/partition-commit.md.
 */
public final class PartitionCommit implements Serializable {

    private static final long serialVersionUID = 1L;

    private final CommitTrigger trigger;
    private final PartitionTimeExtractor timeExtractor;
    private final Duration delay;
    private final List<PartitionCommitPolicy> policies;
    private final boolean checkpointManifests;
    private final LateRecordHandling lateRecords;

    private PartitionCommit(Builder builder) {
        this.trigger = builder.trigger;
        this.timeExtractor = builder.timeExtractor;
        this.delay = builder.delay;
        this.policies = List.copyOf(builder.policies);
        this.checkpointManifests = builder.checkpointManifests;
        this.lateRecords = builder.lateRecords;
    }

    public static Builder builder() {
        return new Builder();
    }

    public CommitTrigger trigger() {
        return trigger;
    }

    public PartitionTimeExtractor timeExtractor() {
        return timeExtractor;
    }

    public Duration delay() {
        return delay;
    }

    public List<PartitionCommitPolicy> policies() {
        return policies;
    }

    public boolean checkpointManifests() {
        return checkpointManifests;
    }

    public LateRecordHandling lateRecords() {
        return lateRecords;
    }

    /** The moment a writer stops expecting records of a partition: its end plus the delay (event time). */
    public long closingTime(String bucketId) {
        return timeExtractor.end(bucketId).plus(delay).toEpochMilli();
    }

    @Override
    public String toString() {
        return "PartitionCommit{trigger=" + trigger + ", extractor=" + timeExtractor + ", delay=" + delay
                + ", policies=" + policies + ", manifests=" + checkpointManifests + ", late=" + lateRecords + '}';
    }

    /** Builds {@link PartitionCommit}; every option has a default except at least one policy or manifests. */
    public static final class Builder {

        private CommitTrigger trigger = CommitTrigger.PARTITION_TIME;
        private PartitionTimeExtractor timeExtractor = PartitionTimeExtractor.defaultBucketIds();
        private Duration delay = Duration.ZERO;
        private final List<PartitionCommitPolicy> policies = new ArrayList<>();
        private boolean checkpointManifests;
        private LateRecordHandling lateRecords = LateRecordHandling.WRITE_AND_ANNOUNCE_AGAIN;

        private Builder() {}

        /** Event time (the default): complete once every writer's watermark passed the partition's end + delay. */
        public Builder partitionTime() {
            this.trigger = CommitTrigger.PARTITION_TIME;
            return this;
        }

        /** Processing time: complete once no records arrived for the partition for the delay. */
        public Builder processTime() {
            this.trigger = CommitTrigger.PROCESS_TIME;
            return this;
        }

        /** How a partition's time range is read from its bucket id (default: DateTimeBucketAssigner ids). */
        public Builder timeExtractor(PartitionTimeExtractor extractor) {
            this.timeExtractor = extractor;
            return this;
        }

        /** How long after the partition's end (event time) or its last record (processing time); default 0. */
        public Builder delay(Duration delay) {
            this.delay = delay;
            return this;
        }

        /** Adds the {@code _SUCCESS} file policy (empty file). */
        public Builder successFile() {
            return policy(SuccessFile.create());
        }

        /** Adds the {@code _SUCCESS} file policy with a JSON summary of the partition as content. */
        public Builder successFileWithJson() {
            return policy(SuccessFile.create().withJsonContent());
        }

        /** Adds a policy; policies run in the order added. */
        public Builder policy(PartitionCommitPolicy policy) {
            if (policy == null) {
                throw new IllegalArgumentException("partition commit policy must not be null");
            }
            policies.add(policy);
            return this;
        }

        /** Writes one manifest per checkpoint that committed files, listing them (default off). */
        public Builder checkpointManifests(boolean enabled) {
            this.checkpointManifests = enabled;
            return this;
        }

        /** What writers do with late records (default: write and announce again). */
        public Builder lateRecords(LateRecordHandling handling) {
            this.lateRecords = handling;
            return this;
        }

        public PartitionCommit build() {
            if (timeExtractor == null) {
                throw new IllegalArgumentException("partition commit: timeExtractor must not be null");
            }
            if (delay == null || delay.isNegative()) {
                throw new IllegalArgumentException("partition commit: delay must not be null or negative, was " + delay);
            }
            if (lateRecords == null) {
                throw new IllegalArgumentException("partition commit: lateRecords must not be null");
            }
            if (policies.isEmpty() && !checkpointManifests) {
                throw new IllegalArgumentException(
                        "partition commit: configure at least one policy (successFile(), policy(...)) or checkpointManifests(true)");
            }
            Set<String> names = new HashSet<>();
            for (PartitionCommitPolicy policy : policies) {
                String name = policy.name();
                if (name == null || name.isEmpty() || name.contains("/") || name.startsWith(".")) {
                    throw new IllegalArgumentException("partition commit policy " + policy
                            + ": name() must be a non-empty plain file name, was '" + name + "'");
                }
                if (!names.add(name)) {
                    throw new IllegalArgumentException("partition commit: two policies are named '" + name
                            + "'; policy names must differ (they record what finished)");
                }
            }
            return new PartitionCommit(this);
        }
    }
}
