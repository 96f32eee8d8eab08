package dev.filesink.metrics;

import dev.filesink.bucket.BucketListener;
import dev.filesink.committer.CommitListener;
import dev.filesink.committer.FileSinkCommittable;
import dev.filesink.partfile.InProgressPartFile;
import dev.filesink.partfile.RollReason;
import dev.filesink.storage.CommitOutcome;
import dev.filesink.writer.FileWriter;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.SinkCommitterMetricGroup;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/** The sink's metrics, registered in Flink's writer and committer metric groups (see docs/metrics.md). */
public final class SinkMetrics {

    public static final String GROUP = "fileSink";

    private SinkMetrics() {}

    public static WriterMetrics forWriter(SinkWriterMetricGroup group) {
        return new WriterMetrics(group);
    }

    public static CommitterMetrics forCommitter(SinkCommitterMetricGroup group) {
        return new CommitterMetrics(group);
    }

    /** Writer-side metrics; the buckets report to it as their {@link BucketListener}. */
    public static final class WriterMetrics implements BucketListener {

        private final SinkWriterMetricGroup group;
        private final MetricGroup sinkGroup;
        private final Counter partFilesOpened;
        private final Counter partFilesRolled;
        private final Counter recordsSkipped;
        private final Counter orphansDiscarded;
        private final Counter stagingLeftoversScheduled;
        private final Counter orphanSearchesByJournal;
        private final Counter orphanSearchesByFullWalk;
        private final Counter lateRecordsDropped;
        private final Counter lateRecordsWritten;
        private final Map<RollReason, Counter> rolledByReason = new EnumMap<>(RollReason.class);

        WriterMetrics(SinkWriterMetricGroup group) {
            this.group = group;
            this.sinkGroup = group.addGroup(GROUP);
            this.partFilesOpened = sinkGroup.counter("partFilesOpened");
            this.partFilesRolled = sinkGroup.counter("partFilesRolled");
            this.recordsSkipped = sinkGroup.counter("recordsSkipped");
            this.orphansDiscarded = sinkGroup.counter("orphansDiscarded");
            this.stagingLeftoversScheduled = sinkGroup.counter("stagingLeftoversScheduled");
            this.orphanSearchesByJournal = sinkGroup.counter("orphanSearchesByJournal");
            this.orphanSearchesByFullWalk = sinkGroup.counter("orphanSearchesByFullWalk");
            this.lateRecordsDropped = sinkGroup.counter("lateRecordsDropped");
            this.lateRecordsWritten = sinkGroup.counter("lateRecordsWritten");
            MetricGroup byReason = sinkGroup.addGroup("partFilesRolledBy");
            for (RollReason reason : RollReason.values()) {
                rolledByReason.put(reason, byReason.counter(reason.name().toLowerCase(Locale.ROOT)));
            }
        }

        /** Registers the gauges that read the writer's current state. */
        public void watch(FileWriter<?> writer) {
            sinkGroup.gauge("openPartFiles", writer::openPartFileCount);
            sinkGroup.gauge("activeBuckets", writer::activeBucketCount);
            sinkGroup.gauge("bufferedBytes", writer::memoryFootprint);
            sinkGroup.gauge("bucketJournalWrites", writer::bucketJournalWrites);
        }

        public Counter recordsWritten() {
            return group.getNumRecordsSendCounter();
        }

        /** Records a format skipped as bad (when configured to skip instead of failing). */
        public Counter recordsSkipped() {
            return recordsSkipped;
        }

        /** Storage objects of failed attempts removed when the writer started (uploads, staged tails, hidden files). */
        public Counter orphansDiscarded() {
            return orphansDiscarded;
        }

        /** Partition commit: late records dropped (late-record handling DROP). */
        public Counter lateRecordsDropped() {
            return lateRecordsDropped;
        }

        /** Partition commit: late records written (WRITE_AND_ANNOUNCE_AGAIN); their partition is announced again. */
        public Counter lateRecordsWritten() {
            return lateRecordsWritten;
        }

        /** Restarts that searched for orphans only in the directories the bucket journals name. */
        public Counter orphanSearchesByJournal() {
            return orphanSearchesByJournal;
        }

        /** Restarts that walked the whole base path for orphans (no journal, or one that could not vouch). */
        public Counter orphanSearchesByFullWalk() {
            return orphanSearchesByFullWalk;
        }

        /** Staged persists no restored state references, handed to the committer for removal at a restore. */
        public Counter stagingLeftoversScheduled() {
            return stagingLeftoversScheduled;
        }

        @Override
        public void partFileOpened(InProgressPartFile<?> file) {
            partFilesOpened.inc();
        }

        @Override
        public void partFileRolled(long size, RollReason reason) {
            partFilesRolled.inc();
            rolledByReason.get(reason).inc();
            group.getNumBytesSendCounter().inc(size);
        }

        /** The part files closed for commit for this reason so far. */
        public long rolledBy(RollReason reason) {
            return rolledByReason.get(reason).getCount();
        }
    }

    public static PartitionCommitterMetrics forPartitionCommitter(MetricGroup group) {
        return new PartitionCommitterMetrics(group);
    }

    /**
     * The partition committer's metrics (docs/partition-commit.md): announcements, and how long after its end a
     * partition was announced, in event time (the writers' lowest watermark minus the partition's end) and wall clock
     * (from when the partition committer first found the trigger condition met until every policy finished).
     */
    public static final class PartitionCommitterMetrics {

        private final Counter partitionsCommitted;
        private final Counter announcementsRepeated;
        private volatile long lastCommitDelayEventTime;
        private volatile long lastCommitDelayWallClock;

        PartitionCommitterMetrics(MetricGroup group) {
            MetricGroup sinkGroup = group.addGroup(GROUP);
            this.partitionsCommitted = sinkGroup.counter("partitionsCommitted");
            this.announcementsRepeated = sinkGroup.counter("announcementsRepeated");
            sinkGroup.gauge("lastCommitDelayEventTimeMs", () -> lastCommitDelayEventTime);
            sinkGroup.gauge("lastCommitDelayWallClockMs", () -> lastCommitDelayWallClock);
        }

        /** A partition's first announcement finished (every policy ran). */
        public void announced(int announcement, long eventTimeDelay, long wallClockDelay) {
            if (announcement == 1) {
                partitionsCommitted.inc();
            } else {
                announcementsRepeated.inc();
            }
            lastCommitDelayEventTime = eventTimeDelay;
            lastCommitDelayWallClock = wallClockDelay;
        }

        public long partitionsCommitted() {
            return partitionsCommitted.getCount();
        }

        public long announcementsRepeated() {
            return announcementsRepeated.getCount();
        }
    }

    /** Committer-side metrics; the committer reports to it as its {@link CommitListener}. */
    public static final class CommitterMetrics implements CommitListener {

        private static final int LATENCY_WINDOW = 1024;

        private final Counter committed;
        private final Counter alreadyCommitted;
        private final Counter commitFailures;
        private final Counter commitRetries;
        private final Counter committedBytes;
        private final Histogram commitLatency;

        CommitterMetrics(SinkCommitterMetricGroup group) {
            MetricGroup sinkGroup = group.addGroup(GROUP);
            this.committed = sinkGroup.counter("partFilesCommitted");
            this.alreadyCommitted = sinkGroup.counter("partFilesAlreadyCommitted");
            this.commitFailures = sinkGroup.counter("commitFailures");
            this.commitRetries = sinkGroup.counter("commitRetries");
            this.committedBytes = sinkGroup.counter("bytesCommitted");
            this.commitLatency = sinkGroup.histogram("commitLatencyMs", new DescriptiveStatisticsHistogram(LATENCY_WINDOW));
        }

        @Override
        public synchronized void committed(FileSinkCommittable committable, CommitOutcome outcome, long latencyMillis) {
            if (outcome == CommitOutcome.COMMITTED) {
                committed.inc();
                committedBytes.inc(committable.size());
            } else {
                alreadyCommitted.inc();
            }
            commitLatency.update(latencyMillis);
        }

        @Override
        public synchronized void failed(FileSinkCommittable committable) {
            commitFailures.inc();
        }

        @Override
        public synchronized void retried(FileSinkCommittable committable) {
            commitRetries.inc();
        }
    }
}
