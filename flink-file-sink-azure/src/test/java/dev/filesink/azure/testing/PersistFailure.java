package dev.filesink.azure.testing;

import dev.filesink.storage.CommitOutcome;
import dev.filesink.storage.OrphanFilter;
import dev.filesink.storage.PartFileStorage;
import dev.filesink.storage.StorageSession;

import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.RecoverableFsDataOutputStream;
import org.apache.flink.core.fs.RecoverableWriter;
import org.apache.flink.core.io.SimpleVersionedSerializer;

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
        RecoverableWriter writer = new FailingWriter(session.recoverableWriter(), failingPersist);
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

    private record FailingWriter(RecoverableWriter writer, int failingPersist) implements RecoverableWriter {

        @Override
        public RecoverableFsDataOutputStream open(Path path) throws IOException {
            return new FailingStream(writer.open(path), failingPersist);
        }

        @Override
        public RecoverableFsDataOutputStream recover(ResumeRecoverable resumable) throws IOException {
            return new FailingStream(writer.recover(resumable), failingPersist);
        }

        @Override
        public boolean requiresCleanupOfRecoverableState() {
            return writer.requiresCleanupOfRecoverableState();
        }

        @Override
        public boolean cleanupRecoverableState(ResumeRecoverable resumable) throws IOException {
            return writer.cleanupRecoverableState(resumable);
        }

        @Override
        public RecoverableFsDataOutputStream.Committer recoverForCommit(CommitRecoverable recoverable) throws IOException {
            return writer.recoverForCommit(recoverable);
        }

        @Override
        public SimpleVersionedSerializer<CommitRecoverable> getCommitRecoverableSerializer() {
            return writer.getCommitRecoverableSerializer();
        }

        @Override
        public SimpleVersionedSerializer<ResumeRecoverable> getResumeRecoverableSerializer() {
            return writer.getResumeRecoverableSerializer();
        }

        @Override
        public boolean supportsResume() {
            return writer.supportsResume();
        }
    }

    private static final class FailingStream extends RecoverableFsDataOutputStream {

        private final RecoverableFsDataOutputStream out;
        private final int failingPersist;

        FailingStream(RecoverableFsDataOutputStream out, int failingPersist) {
            this.out = out;
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

        @Override
        public Committer closeForCommit() throws IOException {
            return out.closeForCommit();
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            out.write(bytes, offset, length);
        }

        @Override
        public long getPos() throws IOException {
            return out.getPos();
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void sync() throws IOException {
            out.sync();
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }
}
