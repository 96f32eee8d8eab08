package dev.filesink.testing;

import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.RecoverableFsDataOutputStream;
import org.apache.flink.core.fs.RecoverableWriter;
import org.apache.flink.core.io.SimpleVersionedSerializer;

import java.io.IOException;
import java.util.function.UnaryOperator;

/**
 * A storage's writer that hands every call to another, wrapping each stream it opens or recovers (usually in a
 * {@link ForwardingRecoverableStream} that changes one thing).
 */
public final class ForwardingRecoverableWriter implements RecoverableWriter {

    private final RecoverableWriter writer;
    private final UnaryOperator<RecoverableFsDataOutputStream> wrap;

    public ForwardingRecoverableWriter(RecoverableWriter writer, UnaryOperator<RecoverableFsDataOutputStream> wrap) {
        this.writer = writer;
        this.wrap = wrap;
    }

    @Override
    public RecoverableFsDataOutputStream open(Path path) throws IOException {
        return wrap.apply(writer.open(path));
    }

    @Override
    public RecoverableFsDataOutputStream recover(ResumeRecoverable resumable) throws IOException {
        return wrap.apply(writer.recover(resumable));
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
