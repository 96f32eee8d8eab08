package dev.filesink.storage;

import dev.filesink.storage.objectstore.ObjectsWrittenOnce;

import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.RecoverableWriter;

import java.io.Closeable;
import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A storage back end bound to one base path: writes in-progress part files, commits pending ones and removes
 * in-progress files that can no longer be resumed.
 */
public interface StorageSession extends Closeable {

    /** The writer that opens, persists, resumes and closes in-progress part files. */
    RecoverableWriter recoverableWriter();

    /**
     * Checks at job start that the base path can be written, failing with an exception that names the path (and for
     * object stores the bucket or container) otherwise.
     */
    void checkWritable() throws IOException;

    /**
     * Makes a pending part file visible at {@code target}. Idempotent: if this very file was committed before, it
     * returns {@link CommitOutcome#ALREADY_COMMITTED} without changing anything. Never replaces a file it did not
     * write: then it throws {@link CommitConflictException}.
     *
     * @param expectedSize the length of the pending file, used to recognize an earlier commit of the same file
     */
    CommitOutcome commit(Path target, RecoverableWriter.CommitRecoverable pendingFile, long expectedSize)
            throws IOException;

    /**
     * Discards in-progress (never committed) part files below the base path whose final name the filter accepts.
     * Called when a writer starts after a failure, before it opens any file.
     *
     * @return how many storage objects were removed (in-progress files, and on object stores their uploads and
     *     staged tails)
     */
    int discardOrphans(OrphanFilter filter) throws IOException;

    /**
     * As {@link #discardOrphans(OrphanFilter)}, but looking only directly in the given directories below the base
     * path: the writer knows from its bucket journal every directory where a failed attempt may have opened a file.
     * A storage that cannot list one directory cheaply looks everywhere, as the single-argument method does.
     */
    default int discardOrphans(OrphanFilter filter, Collection<Path> directories) throws IOException {
        return discardOrphans(filter);
    }

    /**
     * Whether {@link #discardOrphans(OrphanFilter, Collection)} really lists only the given directories; only then
     * does a writer keep a bucket journal.
     */
    default boolean discardsOrphansByDirectory() {
        return false;
    }

    /**
     * After a restore: storage state of earlier persists (for example staged tails on object stores) that no
     * restored in-progress file references and that no checkpoint can need any more, limited to part files whose
     * final name {@code owned} accepts. Nothing is removed here: the writer hands each to the committer as a cleanup,
     * so it goes once the first checkpoint after the restore completes. Storages whose persists leave nothing
     * outside the file itself return nothing.
     *
     * @param restored the resumables of every in-progress file handed to this writer
     */
    default List<RecoverableWriter.ResumeRecoverable> unreferencedPersists(
            Collection<RecoverableWriter.ResumeRecoverable> restored, Predicate<String> owned) throws IOException {
        return List.of();
    }

    // ---- Partition commit (docs/partition-commit.md): small files written once, never replaced. ------------

    /**
     * Writes a small file (a success file, a checkpoint manifest, a completion record) at {@code path} below the base
     * path exactly once: it becomes visible whole or not at all, and an existing file is never replaced (local: a
     * hard link of a finished temporary file; HDFS: a rename that fails on an existing target; S3: PutObject with
     * {@code If-None-Match: *}; Azure: Put Blob with {@code If-None-Match: *}).
     *
     * @return true if this call created the file; false if one already existed there (unchanged)
     */
    default boolean createFileOnce(Path path, byte[] content) throws IOException {
        return objectsWrittenOnce().createOnce(path, content);
    }

    /** The whole content of a small file, or {@code Optional.empty()} if there is none at {@code path}. */
    default Optional<byte[]> readFile(Path path) throws IOException {
        return objectsWrittenOnce().read(path);
    }

    /**
     * Object stores: how they write small objects once (a conditional PUT, {@link ObjectsWrittenOnce}); the two
     * methods above use it. File systems override those methods instead.
     */
    default ObjectsWrittenOnce<?> objectsWrittenOnce() {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot write files once");
    }

    // ---- Compaction (docs/compaction.md); a storage that cannot compact keeps the defaults. -------------------

    /** Whether the sink may compact small files on this storage. */
    default boolean supportsCompaction() {
        return false;
    }

    /**
     * Makes a pending file readable for a compaction, holding exactly its {@code size} bytes; empty if the storage
     * holds more than that for it (then it is committed as it is, uncompacted). The caller closes the source when the
     * compaction is done. Fails with {@link java.io.FileNotFoundException} if the pending file is gone.
     */
    default Optional<CompactionSource> compactionSource(RecoverableWriter.CommitRecoverable pendingFile, long size)
            throws IOException {
        throw new UnsupportedOperationException(this + " cannot compact part files");
    }

    /**
     * The storage's server-side concatenation of pending files, if it has one; byte-concatenating compactions use it
     * instead of reading and writing every byte.
     */
    default Optional<ServerSideConcatenation> serverSideConcatenation() {
        return Optional.empty();
    }

    /**
     * Discards a pending file that a compaction merged into a file now committed. One already discarded is fine:
     * the caller has just seen the compacted file committed, which proves its data is where it belongs.
     */
    default void discardCompactedInput(RecoverableWriter.CommitRecoverable pendingFile) throws IOException {
        throw new UnsupportedOperationException(this + " cannot compact part files");
    }

    /**
     * Discards the in-progress files directly in {@code directory} whose final name is one of {@code finalNames}:
     * compaction outputs a failed attempt left half written.
     *
     * @return how many were discarded
     */
    default int discardInProgress(Path directory, Set<String> finalNames) throws IOException {
        throw new UnsupportedOperationException(this + " cannot compact part files");
    }

    @Override
    default void close() throws IOException {}
}
