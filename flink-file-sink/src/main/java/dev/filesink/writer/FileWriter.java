package dev.filesink.writer;

import dev.filesink.bucket.Bucket;
import dev.filesink.bucket.BucketSettings;
import dev.filesink.bucket.BucketState;
import dev.filesink.bucket.PartFileNamer;
import dev.filesink.committer.FileSinkCommittable;
import dev.filesink.journal.BucketJournal;
import dev.filesink.journal.JournalFiles;
import dev.filesink.metrics.SinkMetrics;
import dev.filesink.partfile.PartFileNaming;
import dev.filesink.partfile.PendingPartFile;
import dev.filesink.partfile.RollReason;
import dev.filesink.partitioncommit.PartitionTracker;
import dev.filesink.storage.OrphanFilter;
import dev.filesink.storage.StorageSession;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.RecoverableWriter;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.sink.filesystem.BucketAssigner;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The sink's writer subtask: routes each record to its bucket, which writes it to its in-progress part file; at a
 * checkpoint, hands the closed part files to the committer and persists the open ones into its state.
 */
public final class FileWriter<IN>
        implements StatefulSinkWriter<IN, FileWriterState>,
                CommittingSinkWriter<IN, FileSinkCommittable>,
                ProcessingTimeService.ProcessingTimeCallback {

    private static final Logger LOG = LoggerFactory.getLogger(FileWriter.class);

    private final WriterSettings<IN> settings;
    private final StorageSession storage;
    private final BucketSettings<IN> bucketSettings;
    private final BucketAssigner<IN, String> bucketAssigner;
    private final ProcessingTimeService timeService;
    private final OpenBuckets<IN> buckets;
    private final AssignerContext assignerContext = new AssignerContext();
    private final RestoreCleanup restoreCleanup;
    private final BucketJournal journal;

    private final Counter recordsWritten;
    private boolean endOfInput;

    /** Set where a concurrent attempt may exist: this attempt's own uid, to find its unfinished files on close. */
    private final String ownUidToDiscardOnClose;
    private final PartFileNaming naming;
    /** Names of the files handed to the committer: never discarded by this writer. */
    private final Set<String> handedOut = new HashSet<>();
    private boolean snapshotTaken;
    /** Partition commit's part in this writer; null when partition commit is not configured. */
    @Nullable private PartitionTracker partitions;
    private long watermark = Long.MIN_VALUE;

    /** A writer that does not know the checkpoint it restored (tests): restored writers' journals are not used. */
    public FileWriter(
            WriterSettings<IN> settings,
            StorageSession storage,
            WriterIdentity identity,
            Collection<FileWriterState> restored,
            ProcessingTimeService timeService,
            SinkMetrics.WriterMetrics metrics)
            throws IOException {
        this(settings, storage, identity, restored, OptionalLong.empty(), timeService, metrics);
    }

    /** @param restoredCheckpoint the checkpoint the restored states come from, if any */
    public FileWriter(
            WriterSettings<IN> settings,
            StorageSession storage,
            WriterIdentity identity,
            Collection<FileWriterState> restored,
            OptionalLong restoredCheckpoint,
            ProcessingTimeService timeService,
            SinkMetrics.WriterMetrics metrics)
            throws IOException {
        this.settings = settings;
        this.storage = storage;
        this.bucketAssigner = settings.bucketAssigner();
        this.timeService = timeService;
        this.recordsWritten = metrics.recordsWritten();
        this.naming = new PartFileNaming(settings.outputFileConfig());
        this.ownUidToDiscardOnClose = identity.discardsOwnFilesOnClose() ? identity.uid() : null;
        long nextCounter = restored.stream()
                .filter(state -> state.uid().equals(identity.uid()))
                .mapToLong(FileWriterState::nextCounter)
                .max()
                .orElse(0);
        JournalFiles journals = keepsJournals(settings, storage, identity)
                ? new JournalFiles(settings.basePath())
                : null;
        this.restoreCleanup = RestoreCleanup.run(
                settings, storage, identity, restored, naming, metrics, journals, restoredCheckpoint);
        // Started only now: the restore above must not mistake this attempt's fresh journal for an earlier one's.
        this.journal = journalFor(settings, identity, journals, restored);
        this.bucketSettings = new BucketSettings<>(
                storage.recoverableWriter(),
                settings.partFileFactory(),
                settings.rollingPolicy(),
                new PartFileNamer(naming, identity.uid(), nextCounter),
                settings.writeBufferSize(),
                metrics,
                metrics.recordsSkipped(),
                journal);
        this.buckets = new OpenBuckets<>(settings.maxOpenPartFiles(), settings.maxBufferedBytes());
        for (FileWriterState state : restored) {
            for (BucketState bucketState : state.buckets()) {
                if (bucketState.inProgress() != null) {
                    bucket(bucketState.bucketId(), bucketState.bucketPath()).restore(bucketState.inProgress());
                }
                if (!bucketState.pendingFiles().isEmpty()) {
                    Bucket<IN> bucket = bucket(bucketState.bucketId(), bucketState.bucketPath());
                    bucketState.pendingFiles().forEach(bucket::restorePending);
                }
            }
        }
        buckets.afterRestore();
        timeService.registerTimer(timeService.getCurrentProcessingTime() + settings.bucketCheckInterval(), this);
    }

    /** Whether orphans are searched for through bucket journals: only where one directory can be listed alone. */
    private static boolean keepsJournals(WriterSettings<?> settings, StorageSession storage, WriterIdentity identity) {
        return settings.discardOrphans()
                && !identity.discardsOwnFilesOnClose()
                && storage.discardsOrphansByDirectory()
                && JournalFiles.supports(settings.basePath());
    }

    private static BucketJournal journalFor(
            WriterSettings<?> settings,
            WriterIdentity identity,
            @Nullable JournalFiles journals,
            Collection<FileWriterState> restored)
            throws IOException {
        if (journals != null) {
            List<String> restoredUids = new ArrayList<>();
            identity.orphanCounters().forEach((uid, firstCounter) -> {
                if (firstCounter != Long.MAX_VALUE && !uid.equals(identity.uid())) {
                    restoredUids.add(uid);
                }
            });
            return BucketJournal.durable(journals, identity.uid(), restoredUids);
        }
        // A speculative attempt discards its own files on close; knowing its directories spares it a full walk.
        return settings.discardOrphans() && identity.discardsOwnFilesOnClose()
                ? BucketJournal.inMemory()
                : BucketJournal.disabled();
    }

    /** Sends progress reports for partition commit with every checkpoint and decides on late records. */
    public void trackPartitions(PartitionTracker tracker) {
        this.partitions = tracker;
    }

    @Override
    public void writeWatermark(Watermark watermark) {
        this.watermark = Math.max(this.watermark, watermark.getTimestamp());
    }

    @Override
    public void write(IN element, Context context) throws IOException {
        long now = timeService.getCurrentProcessingTime();
        assignerContext.update(context, now);
        String bucketId = bucketAssigner.getBucketId(element, assignerContext);
        if (partitions != null
                && !partitions.admit(bucketId, context.timestamp(), Math.max(watermark, context.currentWatermark()))) {
            return;
        }
        Bucket<IN> bucket = buckets.get(bucketId);
        if (bucket == null) {
            bucket = bucket(bucketId, bucketPath(bucketId));
        }
        boolean wasOpen = buckets.beforeWrite(bucket);
        bucket.write(element, now, context.timestamp());
        buckets.afterWrite(bucket, wasOpen);
        recordsWritten.inc();
    }

    @Override
    public void flush(boolean endOfInput) {
        this.endOfInput |= endOfInput;
    }

    @Override
    public Collection<FileSinkCommittable> prepareCommit() throws IOException {
        List<FileSinkCommittable> committables = new ArrayList<>(restoreCleanup.drain());
        committables.addAll(journal.committables(endOfInput));
        if (partitions != null) {
            rollDuePartitions();
        }
        List<String> uncommitted = new ArrayList<>();
        for (Bucket<IN> bucket : buckets.all()) {
            for (PendingPartFile file : bucket.prepareCommit(endOfInput)) {
                if (ownUidToDiscardOnClose != null) {
                    handedOut.add(file.target().getName());
                }
                committables.add(FileSinkCommittable.of(file));
            }
            for (RecoverableWriter.ResumeRecoverable obsolete : bucket.drainSuperseded()) {
                committables.add(FileSinkCommittable.cleanup(bucket.bucketId(), bucket.bucketPath(), obsolete));
            }
            if (bucket.inProgress() != null) {
                uncommitted.add(bucket.bucketId());
            }
        }
        buckets.dropInactive();
        if (partitions != null) {
            committables.add(FileSinkCommittable.progress(partitions.progress(watermark, uncommitted, endOfInput)));
        }
        return committables;
    }

    /** Rolls the in-progress files of buckets whose partition is due, so that it is not held back by rolling. */
    private void rollDuePartitions() throws IOException {
        long now = timeService.getCurrentProcessingTime();
        for (Bucket<IN> bucket : buckets.all()) {
            if (bucket.inProgress() != null
                    && partitions.isDue(bucket.bucketId(), watermark, bucket.lastWriteTime(), now)) {
                bucket.rollNow(RollReason.PARTITION_DUE);
            }
        }
    }

    @Override
    public List<FileWriterState> snapshotState(long checkpointId) throws IOException {
        snapshotTaken = true;
        journal.onSnapshot(checkpointId);
        List<BucketState> states = new ArrayList<>();
        for (Bucket<IN> bucket : buckets.all()) {
            BucketState state = bucket.snapshotState();
            if (state.inProgress() != null) {
                states.add(state);
            }
        }
        PartFileNamer namer = bucketSettings.namer();
        return List.of(new FileWriterState(namer.uid(), namer.nextCounter(), states));
    }

    @Override
    public void onProcessingTime(long time) throws IOException {
        for (Bucket<IN> bucket : buckets.all()) {
            bucket.onProcessingTime(time);
        }
        buckets.dropInactive();
        timeService.registerTimer(time + settings.bucketCheckInterval(), this);
    }

    @Override
    public void close() throws Exception {
        for (Bucket<IN> bucket : buckets.all()) {
            bucket.dispose();
        }
        try {
            discardOwnUnfinishedFiles();
        } finally {
            journal.close();
            storage.close();
        }
    }

    /**
     * A writer that may have a concurrent attempt (a speculative loser, or an attempt that failed) discards the
     * unfinished files it wrote, unless a checkpoint holds them or the committer got them: no later attempt can tell
     * them from a live attempt's. Best effort: the task is going away.
     */
    private void discardOwnUnfinishedFiles() {
        if (ownUidToDiscardOnClose == null || snapshotTaken) {
            return;
        }
        long opened = bucketSettings.namer().nextCounter();
        if (opened == handedOut.size()) {
            return;
        }
        String uid = ownUidToDiscardOnClose;
        try {
            OrphanFilter unfinished = name -> naming.counterOf(name, uid).isPresent() && !handedOut.contains(name);
            Set<String> directories = journal.bucketsOpened();
            int discarded = directories != null
                    ? storage.discardOrphans(unfinished, directories.stream().map(this::bucketPath).toList())
                    : storage.discardOrphans(unfinished);
            LOG.info("Discarded {} unfinished part files of writer {} below {}", discarded, uid, settings.basePath());
        } catch (IOException | RuntimeException e) {
            LOG.warn("Could not discard the unfinished part files of writer {} below {}; they stay hidden",
                    uid, settings.basePath(), e);
        }
    }

    /** Bucket ids appended durably to this writer's bucket journal (metrics, benchmarks). */
    public long bucketJournalWrites() {
        return journal.writes();
    }

    /** The buckets currently in memory (metrics, tests). */
    public int activeBucketCount() {
        return buckets.size();
    }

    /** The in-progress part files currently open (metrics, tests). */
    public int openPartFileCount() {
        return buckets.openFiles();
    }

    /** Memory held by open part files: write buffers and what bulk formats report (metrics). */
    public long memoryFootprint() {
        return buckets.memoryFootprint();
    }

    private Bucket<IN> bucket(String bucketId, Path bucketPath) {
        Bucket<IN> bucket = buckets.get(bucketId);
        if (bucket == null) {
            bucket = new Bucket<>(bucketId, bucketPath, bucketSettings);
            buckets.add(bucket);
        }
        return bucket;
    }

    private Path bucketPath(String bucketId) {
        return bucketId.isEmpty() ? settings.basePath() : new Path(settings.basePath(), bucketId);
    }

    /** The bucket assigner's view of the current record; reused for every record. */
    private static final class AssignerContext
            implements org.apache.flink.streaming.api.functions.sink.filesystem.BucketAssigner.Context {

        private Context context;
        private long processingTime;

        void update(Context context, long processingTime) {
            this.context = context;
            this.processingTime = processingTime;
        }

        @Override
        public long currentProcessingTime() {
            return processingTime;
        }

        @Override
        public long currentWatermark() {
            return context.currentWatermark();
        }

        @Override
        public Long timestamp() {
            return context.timestamp();
        }
    }
}
