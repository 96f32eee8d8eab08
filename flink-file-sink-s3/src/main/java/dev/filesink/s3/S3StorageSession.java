package dev.filesink.s3;

import dev.filesink.s3.client.S3Operations;
import dev.filesink.s3.commit.HiddenFileCommitter;
import dev.filesink.s3.commit.HiddenObjects;
import dev.filesink.s3.commit.S3Committer;
import dev.filesink.s3.commit.OrphanCleaner;
import dev.filesink.s3.commit.StagingSweep;
import dev.filesink.s3.compaction.CompactionLeftovers;
import dev.filesink.s3.compaction.LocalCopies;
import dev.filesink.s3.compaction.S3Concatenation;
import dev.filesink.s3.takeover.FlinkOrphanTails;
import dev.filesink.s3.takeover.FlinkStateTakeoverWriter;
import dev.filesink.s3.writer.BufferPool;
import dev.filesink.s3.writer.S3Recoverable;
import dev.filesink.s3.writer.S3RecoverableWriter;
import dev.filesink.s3.writer.StagingLayout;
import dev.filesink.s3.writer.StateBudget;
import dev.filesink.s3.writer.UploadContext;
import dev.filesink.storage.CommitOutcome;
import dev.filesink.storage.CompactionSource;
import dev.filesink.storage.OrphanFilter;
import dev.filesink.storage.ServerSideConcatenation;
import dev.filesink.storage.StorageSession;
import dev.filesink.storage.objectstore.BackgroundUploader;
import dev.filesink.storage.objectstore.ObjectsWrittenOnce;

import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.RecoverableWriter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The S3 storage bound to one base path ({@code s3://bucket/prefix}). Upload threads, buffers and the SDK client are
 * created on first use and released by {@link #close()}.
 *
 * <p>With hidden names (the variant a compacting sink writes with, see docs/compaction.md) new part files are written
 * under {@code .<final name>.inprogress.<token>} and copied to their final key by their commit. Either variant
 * commits the files of either: the recoverable says where a file lives.
 */
final class S3StorageSession implements StorageSession {

    /** Sub-block size of the part buffers: small files hold little, large parts are many chunks. */
    private static final int BUFFER_CHUNK_SIZE = 128 * 1024;
    /** Connections beyond the upload threads: commits, staging objects, checks. */
    private static final int EXTRA_CONNECTIONS = 16;

    private final S3Destination destination;
    private final S3Location base;
    private final StagingLayout staging;
    private final S3Operations operations;
    private final FlinkStateTakeoverWriter writer;
    private final boolean hiddenNames;
    private final HiddenObjects hidden;
    private UploadContext uploadContext;
    private boolean closed;

    S3StorageSession(S3Destination destination, Path basePath, boolean hiddenNames) {
        this.destination = destination;
        this.base = S3Location.of(basePath);
        this.staging = new StagingLayout(base, destination.stagingPrefix());
        this.operations = new S3Operations(
                destination, destination.uploadThreads() + destination.requestThreads() + EXTRA_CONNECTIONS);
        this.hiddenNames = hiddenNames;
        this.writer = new FlinkStateTakeoverWriter(
                new S3RecoverableWriter(this::uploadContext, operations, hiddenNames), operations, base.bucket());
        this.hidden = new HiddenObjects(operations, destination, staging);
    }

    private synchronized UploadContext uploadContext() {
        if (closed) {
            throw new IllegalStateException("The S3 storage session for " + base + " is closed");
        }
        if (uploadContext == null) {
            java.nio.file.Path spill = spillDirectory();
            try {
                Files.createDirectories(spill);
            } catch (IOException e) {
                throw new IllegalStateException("Cannot create the spill directory '" + spill + "' for S3 part buffers", e);
            }
            long closeTimeout = destination.socketTimeout().toMillis() + 5_000;
            uploadContext = new UploadContext(
                    destination,
                    operations,
                    new BackgroundUploader("filesink-s3", destination.uploadThreads(), destination.maxQueuedParts(),
                            destination.requestThreads(), closeTimeout),
                    new BufferPool(destination.bufferMemory(), BUFFER_CHUNK_SIZE),
                    new StateBudget(destination.inlineBudget()),
                    spill,
                    staging);
        }
        return uploadContext;
    }

    private java.nio.file.Path spillDirectory() {
        return Paths.get(destination.spillDirectory() != null
                ? destination.spillDirectory() : System.getProperty("java.io.tmpdir"));
    }

    @Override
    public RecoverableWriter recoverableWriter() {
        return writer;
    }

    @Override
    public void checkWritable() throws IOException {
        new BucketAccessCheck(operations, base, staging, destination).run();
    }

    @Override
    public CommitOutcome commit(Path target, RecoverableWriter.CommitRecoverable pendingFile, long expectedSize)
            throws IOException {
        S3Recoverable file = S3Recoverable.resolve(pendingFile);
        S3Location location = S3Location.of(target);
        if (!location.bucket().equals(file.bucket()) || !location.key().equals(file.targetKey())) {
            throw new IOException("Pending part file " + file + " does not belong to target " + target);
        }
        if (file.isHidden()) {
            return new HiddenFileCommitter(operations, destination, staging).commit(file);
        }
        writer.beforeCommit(file);
        return new S3Committer(operations, destination, staging).commit(file);
    }

    @Override
    public ObjectsWrittenOnce<?> objectsWrittenOnce() {
        return new S3SmallFiles(operations, destination);
    }

    @Override
    public boolean supportsCompaction() {
        return hiddenNames;
    }

    /**
     * A file written under its hidden name, downloaded to the spill directory; empty for a file written at its final
     * key (by a sink that did not compact), which is committed as it is.
     */
    @Override
    public Optional<CompactionSource> compactionSource(RecoverableWriter.CommitRecoverable pendingFile, long size)
            throws IOException {
        S3Recoverable file = S3Recoverable.resolve(pendingFile);
        if (!file.isHidden()) {
            return Optional.empty();
        }
        return Optional.of(new LocalCopies(operations, hidden, spillDirectory()).copyOf(file, size));
    }

    @Override
    public Optional<ServerSideConcatenation> serverSideConcatenation() {
        return Optional.of(new S3Concatenation(operations, destination, hidden));
    }

    @Override
    public void discardCompactedInput(RecoverableWriter.CommitRecoverable pendingFile) throws IOException {
        hidden.discard(S3Recoverable.resolve(pendingFile));
    }

    @Override
    public int discardInProgress(Path directory, Set<String> finalNames) throws IOException {
        return new CompactionLeftovers(operations, S3Location.of(directory)).discard(finalNames);
    }

    @Override
    public int discardOrphans(OrphanFilter filter) throws IOException {
        new FlinkOrphanTails(operations, base, staging.prefix()).discard(filter);
        return new OrphanCleaner(operations, base, staging).discard(filter);
    }

    @Override
    public List<RecoverableWriter.ResumeRecoverable> unreferencedPersists(
            Collection<RecoverableWriter.ResumeRecoverable> restored, Predicate<String> owned) throws IOException {
        List<S3Recoverable> files = new ArrayList<>(restored.size());
        for (RecoverableWriter.ResumeRecoverable resumable : restored) {
            files.add(S3Recoverable.resolve(resumable));
        }
        return new ArrayList<>(new StagingSweep(operations, base, staging).find(files, owned));
    }

    /** The writer's part buffer memory in use (metrics, tests). */
    synchronized long bufferBytesInUse() {
        return uploadContext == null ? 0 : uploadContext.buffers().bytesInUse();
    }

    /** Part file bytes the writer holds for the checkpoint right now (tests). */
    synchronized long inlineBytesReserved() {
        return uploadContext == null ? 0 : uploadContext.stateBudget().reserved();
    }

    @Override
    public void close() {
        UploadContext context;
        synchronized (this) {
            closed = true;
            context = uploadContext;
        }
        if (context != null) {
            context.uploader().close();
        }
        operations.close();
    }

    @Override
    public String toString() {
        return "S3StorageSession{" + base + '}';
    }
}
