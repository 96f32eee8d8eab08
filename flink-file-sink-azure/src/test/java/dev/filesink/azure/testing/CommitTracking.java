package dev.filesink.azure.testing;

import dev.filesink.storage.CommitOutcome;
import dev.filesink.storage.OrphanFilter;
import dev.filesink.storage.PartFileStorage;
import dev.filesink.storage.StorageSession;

import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.RecoverableWriter;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Wraps a storage and notes every part file whose commit the committer started. The committer only commits after
 * the file's checkpoint completed (or at end of input), so a blob seen before its commit started became visible
 * too early. The MiniCluster runs in the test's JVM, so the notes are shared through a static set.
 */
public final class CommitTracking implements PartFileStorage {

    private static final long serialVersionUID = 1L;
    private static final Set<String> COMMIT_STARTED = ConcurrentHashMap.newKeySet();

    private final PartFileStorage storage;

    public CommitTracking(PartFileStorage storage) {
        this.storage = storage;
    }

    /** Whether the committer has started committing the part file with this blob name. */
    public static boolean commitStarted(String blobName) {
        return COMMIT_STARTED.contains(blobName);
    }

    @Override
    public StorageSession open(Path basePath) throws IOException {
        StorageSession session = storage.open(basePath);
        return new StorageSession() {
            @Override
            public RecoverableWriter recoverableWriter() {
                return session.recoverableWriter();
            }

            @Override
            public void checkWritable() throws IOException {
                session.checkWritable();
            }

            @Override
            public CommitOutcome commit(Path target, RecoverableWriter.CommitRecoverable pendingFile, long expectedSize)
                    throws IOException {
                COMMIT_STARTED.add(target.getPath().replaceFirst("^/+", ""));
                return session.commit(target, pendingFile, expectedSize);
            }

            @Override
            public int discardOrphans(OrphanFilter filter) throws IOException {
                return session.discardOrphans(filter);
            }

            @Override
            public void close() throws IOException {
                session.close();
            }
        };
    }
}
