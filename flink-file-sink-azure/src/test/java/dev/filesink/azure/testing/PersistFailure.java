package dev.filesink.azure.testing;

import dev.filesink.storage.CommitOutcome;
import dev.filesink.storage.OrphanFilter;
import dev.filesink.storage.PartFileStorage;
import dev.filesink.storage.StorageSession;
import dev.filesink.testing.ForwardingRecoverableStream;
import dev.filesink.testing.ForwardingRecoverableWriter;

import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.RecoverableFsDataOutputStream;
import org.apache.flink.core.fs.RecoverableWriter;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Wraps a storage so that one {@code persist()} fails: the n-th call (counted over the whole test JVM) first does the
 * real persist, which stages its blocks in Blob Storage, and then throws, as a failure in the middle of a checkpoint
 * would. Everything else goes straight to the wrapped storage.
 */
public final class PersistFailure implements PartFileStorage {

    private static final long serialVersionUID = 1L;
    private static final AtomicInteger PERSISTS = new AtomicInteger();

    private final PartFileStorage storage;
    private final int failingPersist;

    public PersistFailure(PartFileStorage storage, int failingPersist) {
        this.storage = storage;
        this.failingPersist = failingPersist;
        PERSISTS.set(0);
    }

    public static int persists() {
        return PERSISTS.get();
    }

    @Override
    public StorageSession open(Path basePath) throws IOException {
        StorageSession session = storage.open(basePath);
        RecoverableWriter writer = new ForwardingRecoverableWriter(
                session.recoverableWriter(), stream -> new FailingStream(stream, failingPersist));
        return new StorageSession() {
            @Override
            public RecoverableWriter recoverableWriter() {
                return writer;
            }

            @Override
            public void checkWritable() throws IOException {
                session.checkWritable();
            }

            @Override
            public CommitOutcome commit(Path target, RecoverableWriter.CommitRecoverable file, long size)
                    throws IOException {
                return session.commit(target, file, size);
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

    private static final class FailingStream extends ForwardingRecoverableStream {

        private final int failingPersist;

        FailingStream(RecoverableFsDataOutputStream out, int failingPersist) {
            super(out);
            this.failingPersist = failingPersist;
        }

        @Override
        public RecoverableWriter.ResumeRecoverable persist() throws IOException {
            RecoverableWriter.ResumeRecoverable persisted = out.persist();
            if (PERSISTS.incrementAndGet() == failingPersist) {
                throw new IOException("Injected failure during persist() number " + failingPersist);
            }
            return persisted;
        }
    }
}
