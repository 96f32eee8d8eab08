package dev.filesink.testing;

import dev.filesink.storage.CommitOutcome;
import dev.filesink.storage.OrphanFilter;
import dev.filesink.storage.PartFileStorage;
import dev.filesink.storage.CompactionSource;
import dev.filesink.storage.ServerSideConcatenation;
import dev.filesink.storage.StorageSession;

import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.RecoverableFsDataOutputStream;
import org.apache.flink.core.fs.RecoverableWriter;
import org.apache.flink.core.io.SimpleVersionedSerializer;

import java.io.IOException;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A storage that fails the job once at each planned step of a compaction, around a real one (local, HDFS):
 * while the compacted file is written, when it is about to be committed, and after the first of its inputs is
 * discarded. Counts what fired (jobs run in this JVM's MiniCluster, so a static map reaches the task threads).
 */
public final class CompactionFailureStorage implements PartFileStorage {

    private static final long serialVersionUID = 1L;
    private static final Map<String, AtomicInteger> FIRED = new ConcurrentHashMap<>();

    /** Where a compaction fails. */
    public enum Step {
        /** The compacted file is half written (its close for commit fails). */
        DURING_COMPACTION,
        /** The checkpoint with the compacted file completed, the committer is about to commit it. */
        BEFORE_COMMIT,
        /** The compacted file is committed, one of its inputs discarded, the others not yet. */
        DURING_INPUT_CLEANUP
    }

    private final PartFileStorage delegate;
    private final Set<Step> planned;
    private final String id;

    public CompactionFailureStorage(PartFileStorage delegate, Step... planned) {
        this(delegate, planned.length == 0 ? EnumSet.noneOf(Step.class) : EnumSet.of(planned[0], planned),
                UUID.randomUUID().toString());
    }

    private CompactionFailureStorage(PartFileStorage delegate, Set<Step> planned, String id) {
        this.delegate = delegate;
        this.planned = planned;
        this.id = id;
    }

    /** The delegate's compacting variant, failing at the same steps and counting into the same tally. */
    @Override
    public PartFileStorage forCompaction() {
        return new CompactionFailureStorage(delegate.forCompaction(), planned, id);
    }

    public int fired(Step step) {
        AtomicInteger fired = FIRED.get(id + step);
        return fired == null ? 0 : fired.get();
    }

    public int firedTotal() {
        return planned.stream().mapToInt(this::fired).sum();
    }

    /** Fires at most once per step and storage. */
    private boolean fireOnce(Step step) {
        return planned.contains(step) && FIRED.computeIfAbsent(id + step, ignored -> new AtomicInteger()).compareAndSet(0, 1);
    }

    private static boolean isCompacted(Path path) {
        return path.getName().startsWith("compacted-");
    }

    @Override
    public StorageSession open(Path basePath) throws IOException {
        return new Session(delegate.open(basePath));
    }

    @Override
    public String toString() {
        return "CompactionFailureStorage(" + delegate + ")";
    }

    /** An error, not an exception: the committer retries exceptions itself, an error fails the job. */
    public static final class InjectedCompactionFailure extends Error {
        private static final long serialVersionUID = 1L;

        InjectedCompactionFailure(String message) {
            super(message);
        }
    }

    private final class Session implements StorageSession {

        private final StorageSession session;
        private final RecoverableWriter writer;

        Session(StorageSession session) {
            this.session = session;
            this.writer = new Writer(session.recoverableWriter());
        }

        @Override
        public RecoverableWriter recoverableWriter() {
            return writer;
        }

        @Override
        public void checkWritable() throws IOException {
            session.checkWritable();
        }

        @Override
        public CommitOutcome commit(Path target, RecoverableWriter.CommitRecoverable pendingFile, long expectedSize)
                throws IOException {
            if (isCompacted(target) && fireOnce(Step.BEFORE_COMMIT)) {
                throw new InjectedCompactionFailure("injected: before the commit of " + target);
            }
            return session.commit(target, pendingFile, expectedSize);
        }

        @Override
        public int discardOrphans(OrphanFilter filter) throws IOException {
            return session.discardOrphans(filter);
        }

        @Override
        public boolean supportsCompaction() {
            return session.supportsCompaction();
        }

        @Override
        public Optional<CompactionSource> compactionSource(
                RecoverableWriter.CommitRecoverable pendingFile, long size) throws IOException {
            return session.compactionSource(pendingFile, size);
        }

        /** A server-side concatenation fails after building the whole output, before handing it on. */
        @Override
        public Optional<ServerSideConcatenation> serverSideConcatenation() {
            return session.serverSideConcatenation().map(concatenation -> (target, inputs, delimiter) -> {
                Optional<ServerSideConcatenation.ConcatenatedFile> output =
                        concatenation.concatenate(target, inputs, delimiter);
                if (output.isPresent() && fireOnce(Step.DURING_COMPACTION)) {
                    throw new IOException("injected: during the compaction into " + target);
                }
                return output;
            });
        }

        @Override
        public void discardCompactedInput(RecoverableWriter.CommitRecoverable pendingFile) throws IOException {
            session.discardCompactedInput(pendingFile);
            if (fireOnce(Step.DURING_INPUT_CLEANUP)) {
                throw new InjectedCompactionFailure("injected: during the cleanup of a compaction's inputs");
            }
        }

        @Override
        public int discardInProgress(Path directory, Set<String> finalNames) throws IOException {
            return session.discardInProgress(directory, finalNames);
        }

        @Override
        public void close() throws IOException {
            session.close();
        }
    }

    private final class Writer implements RecoverableWriter {

        private final RecoverableWriter writer;

        Writer(RecoverableWriter writer) {
            this.writer = writer;
        }

        @Override
        public RecoverableFsDataOutputStream open(Path path) throws IOException {
            RecoverableFsDataOutputStream stream = writer.open(path);
            if (!isCompacted(path)) {
                return stream;
            }
            return new ForwardingRecoverableStream(stream) {
                @Override
                public Committer closeForCommit() throws IOException {
                    if (fireOnce(Step.DURING_COMPACTION)) {
                        out.flush();
                        throw new IOException("injected: during the compaction into " + path);
                    }
                    return out.closeForCommit();
                }
            };
        }

        @Override
        public RecoverableFsDataOutputStream recover(ResumeRecoverable resumable) throws IOException {
            return writer.recover(resumable);
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
        public RecoverableFsDataOutputStream.Committer recoverForCommit(CommitRecoverable recoverable)
                throws IOException {
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
}
