package dev.filesink.bucket;

import dev.filesink.partfile.InProgressPartFile;
import dev.filesink.partfile.PartFileContext;
import dev.filesink.partfile.PendingPartFile;
import dev.filesink.partfile.RollReason;

import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.RecoverableWriter;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One bucket (a directory below the base path) of one writer: at most one in-progress part file, plus the pending
 * files closed since the last checkpoint.
 */
public final class Bucket<IN> {

    private static final Logger LOG = LoggerFactory.getLogger(Bucket.class);

    private final String bucketId;
    private final Path bucketPath;
    private final BucketSettings<IN> settings;
    private final List<PendingPartFile> pending = new ArrayList<>();
    /** Resumables that a later persist or a close made obsolete; the storage may drop them once that is durable. */
    private final List<RecoverableWriter.ResumeRecoverable> superseded = new ArrayList<>();

    private InProgressPartFile<IN> inProgress;
    private RecoverableWriter.ResumeRecoverable lastPersisted;
    /** The record time range of the in-progress file; unknown for a file resumed from a state (not persisted). */
    private final EventTimeRange eventTimes = new EventTimeRange();
    /** When a record last arrived (processing time), for partition commit's idle rolling. */
    private long lastWriteTime;

    public Bucket(String bucketId, Path bucketPath, BucketSettings<IN> settings) {
        this.bucketId = bucketId;
        this.bucketPath = bucketPath;
        this.settings = settings;
    }

    public String bucketId() {
        return bucketId;
    }

    public Path bucketPath() {
        return bucketPath;
    }

    public InProgressPartFile<IN> inProgress() {
        return inProgress;
    }

    public void write(IN element, long now) throws IOException {
        write(element, now, null);
    }

    /** Writes a record with its event timestamp (null: none), tracked per part file for partition commit. */
    public void write(IN element, long now, @Nullable Long timestamp) throws IOException {
        lastWriteTime = now;
        if (inProgress == null) {
            open(now);
        } else {
            RollReason reason = rollReasonBefore(element);
            if (reason != null) {
                roll(reason);
                open(now);
            }
        }
        eventTimes.add(timestamp);
        try {
            inProgress.write(element, now);
        } catch (IOException | RuntimeException e) {
            throw new IOException("Failed to write a record to part file '" + inProgress.target() + "' of bucket '"
                    + bucketId + "': " + e.getMessage(), e);
        }
    }

    /**
     * Whether the open file must roll before {@code element}: first what its format or storage stream asks for (they
     * know limits the policy cannot see), then the rolling policy.
     */
    private RollReason rollReasonBefore(IN element) throws IOException {
        RollReason requested = inProgress.rollRequestedBefore(element);
        if (requested != null) {
            LOG.debug("Rolling part file '{}' of bucket '{}' before a record, as asked ({})", inProgress.target(),
                    bucketId, requested);
            return requested;
        }
        return settings.rollingPolicy().shouldRollOnEvent(inProgress, element) ? RollReason.EVENT : null;
    }

    /** Rolls the in-progress file if the rolling policy's time limits are reached. */
    public void onProcessingTime(long now) throws IOException {
        if (inProgress != null && settings.rollingPolicy().shouldRollOnProcessingTime(inProgress, now)) {
            roll(RollReason.PROCESSING_TIME);
        }
    }

    /** When a record last arrived (processing time); 0 if none since this bucket was created or restored. */
    public long lastWriteTime() {
        return lastWriteTime;
    }

    /** Closes the in-progress file for commit now (capacity limits). */
    public void rollNow(RollReason reason) throws IOException {
        if (inProgress != null) {
            roll(reason);
        }
    }

    /** Called before a checkpoint or at end of input; returns the files to commit and forgets them. */
    public List<PendingPartFile> prepareCommit(boolean endOfInput) throws IOException {
        if (inProgress != null) {
            if (endOfInput) {
                roll(RollReason.END_OF_INPUT);
            } else if (!settings.canResume() || settings.rollingPolicy().shouldRollOnCheckpoint(inProgress)) {
                roll(RollReason.CHECKPOINT);
            }
        }
        List<PendingPartFile> result = new ArrayList<>(pending);
        pending.clear();
        return result;
    }

    /** Resumables that are obsolete since the last snapshot; forgotten once handed out. */
    public List<RecoverableWriter.ResumeRecoverable> drainSuperseded() {
        List<RecoverableWriter.ResumeRecoverable> result = new ArrayList<>(superseded);
        superseded.clear();
        return result;
    }

    /** Persists the in-progress file (if any) and returns the bucket's state. */
    public BucketState snapshotState() throws IOException {
        if (inProgress == null) {
            return new BucketState(bucketId, bucketPath, null);
        }
        RecoverableWriter.ResumeRecoverable resumable = inProgress.persist();
        supersede();
        lastPersisted = resumable;
        InProgressFileState file = new InProgressFileState(
                inProgress.target(), resumable, inProgress.getCreationTime(), inProgress.getSize(),
                inProgress.getRecordCount());
        return new BucketState(bucketId, bucketPath, file);
    }

    /**
     * Takes over a restored in-progress file: resumes it if this bucket has none open, otherwise closes it for
     * commit (two writers' states met after a rescale).
     */
    public void restore(InProgressFileState file) throws IOException {
        if (inProgress == null && settings.canResume()) {
            inProgress = settings.partFileFactory().resume(
                    settings.recoverableWriter(), context(file.target()), file.resumable(), file.creationTime(),
                    file.recordCount(), settings.writeBufferSize());
            lastPersisted = file.resumable();
            eventTimes.resetUnknown();
            settings.listener().partFileOpened(inProgress);
        } else {
            pending.add(new PendingPartFile(bucketId, file.target(), file.resumable(), file.size(), file.recordCount()));
            settings.listener().partFileRolled(file.size(), RollReason.MERGE);
        }
    }

    /** Takes over a restored file that was closed for commit; it is handed to the committer at the next checkpoint. */
    public void restorePending(PendingPartFile file) {
        pending.add(file);
    }

    /** Whether the bucket holds anything; inactive buckets are dropped from memory. */
    public boolean isActive() {
        return inProgress != null || !pending.isEmpty() || !superseded.isEmpty();
    }

    /** Releases the in-progress file without committing it (the task is shutting down). */
    public void dispose() {
        if (inProgress != null) {
            try {
                inProgress.discard();
            } catch (IOException | RuntimeException e) {
                // Shutting down: a failed attempt's file is found and discarded by the next attempt.
                LOG.debug("Could not release part file '{}' of bucket '{}' while shutting down: {}",
                        inProgress.target(), bucketId, e.toString());
            }
            inProgress = null;
        }
    }

    private void open(long now) throws IOException {
        // Recorded first: a restart must know of every directory where a file of this writer may be left.
        settings.journal().beforeOpen(bucketId);
        Path target = new Path(bucketPath, settings.namer().nextName());
        try {
            inProgress = settings.partFileFactory().open(
                    settings.recoverableWriter(), context(target), now, settings.writeBufferSize());
        } catch (IOException | RuntimeException e) {
            throw new IOException("Failed to open part file '" + target + "' of bucket '" + bucketId + "': "
                    + e.getMessage(), e);
        }
        eventTimes.reset();
        settings.listener().partFileOpened(inProgress);
    }

    private PartFileContext context(Path target) {
        return new PartFileContext(bucketId, target, settings.recordsSkipped());
    }

    private void roll(RollReason reason) throws IOException {
        InProgressPartFile<IN> closing = inProgress;
        inProgress = null;
        try {
            pending.add(closing.closeForCommit().withEventTimes(eventTimes.min(), eventTimes.max()));
        } catch (IOException | RuntimeException e) {
            throw new IOException("Failed to close part file '" + closing.target() + "' of bucket '" + bucketId
                    + "' for commit: " + e.getMessage(), e);
        }
        supersede();
        settings.listener().partFileRolled(closing.getSize(), reason);
    }

    private void supersede() {
        if (lastPersisted != null && settings.recoverableWriter().requiresCleanupOfRecoverableState()) {
            superseded.add(lastPersisted);
        }
        lastPersisted = null;
    }
}
