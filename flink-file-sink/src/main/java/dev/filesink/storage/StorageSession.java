package dev.filesink.storage;

import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.RecoverableWriter;

import java.io.Closeable;
import java.io.IOException;

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
     * @return how many in-progress files were discarded
     */
    int discardOrphans(OrphanFilter filter) throws IOException;

    @Override
    default void close() throws IOException {}
}
