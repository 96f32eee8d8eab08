package dev.filesink.partfile;

import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.RecoverableFsDataOutputStream;
import org.apache.flink.core.fs.RecoverableWriter;

import javax.annotation.Nullable;

import java.io.IOException;

/**
 * The one part file of a bucket that is open for writing; hidden from readers until committed. Formats plug in
 * through {@link PartFileAwareEncoder} and {@link PartFileAwareBulkWriterFactory}, not by extending this class.
 */
public abstract class InProgressPartFile<IN> implements PartFileStatistics<String> {

    protected final BufferedPartFileStream stream;
    private final String bucketId;
    private final Path target;
    private final PartFileHooks<IN> hooks;
    private final long creationTime;
    private long lastUpdateTime;
    private long recordCount;

    /** @param formatWriter what encodes the records (bulk writer, record writer), asked for its optional hooks */
    InProgressPartFile(
            PartFileContext context,
            BufferedPartFileStream stream,
            Object formatWriter,
            long creationTime,
            long recordCount) {
        this.bucketId = context.bucketId();
        this.target = context.partFile();
        this.stream = stream;
        this.hooks = new PartFileHooks<>(formatWriter, stream.storageStream());
        this.creationTime = creationTime;
        this.lastUpdateTime = creationTime;
        this.recordCount = recordCount;
    }

    /** Why the format or the storage wants this file rolled before {@code next} is written, or null. */
    @Nullable
    public RollReason rollRequestedBefore(IN next) {
        return hooks.rollBefore(next);
    }

    /** Writes one record; the caller wraps failures with the bucket and file names. */
    public final void write(IN element, long now) throws IOException {
        encode(element);
        recordCount++;
        lastUpdateTime = now;
    }

    protected abstract void encode(IN element) throws IOException;

    /** Makes the file durable up to here and returns what a restored writer resumes from. */
    public abstract RecoverableWriter.ResumeRecoverable persist() throws IOException;

    /**
     * Finishes the file (format trailers, compression) and closes it for commit. If that fails, the file is
     * discarded (its bucket lets go of it either way), and the failure is thrown.
     */
    public final PendingPartFile closeForCommit() throws IOException {
        try {
            finishFormat();
            long size = stream.getPos();
            RecoverableFsDataOutputStream.Committer committer = stream.closeForCommit();
            return new PendingPartFile(bucketId, target, committer.getRecoverable(), size, recordCount);
        } catch (IOException | RuntimeException e) {
            try {
                discard();
            } catch (IOException | RuntimeException cleanupFailure) {
                e.addSuppressed(cleanupFailure);
            }
            throw e;
        }
    }

    protected abstract void finishFormat() throws IOException;

    /** Abandons the file without committing it. */
    public void discard() throws IOException {
        stream.discard();
    }

    public Path target() {
        return target;
    }

    /** Memory this open file holds: its write buffer plus what its format and storage stream report. */
    public long memoryFootprint() {
        return stream.bufferCapacity() + hooks.bufferedBytes();
    }

    @Override
    public String getBucketId() {
        return bucketId;
    }

    @Override
    public long getCreationTime() {
        return creationTime;
    }

    @Override
    public long getSize() {
        return stream.getPos();
    }

    @Override
    public long getLastUpdateTime() {
        return lastUpdateTime;
    }

    @Override
    public long getRecordCount() {
        return recordCount;
    }
}
