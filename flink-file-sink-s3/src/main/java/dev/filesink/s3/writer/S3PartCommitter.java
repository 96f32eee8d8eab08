package dev.filesink.s3.writer;

import dev.filesink.s3.commit.HiddenFileCommitter;
import dev.filesink.s3.commit.S3Committer;

import org.apache.flink.core.fs.RecoverableFsDataOutputStream;
import org.apache.flink.core.fs.RecoverableWriter;

import java.io.IOException;

/** Flink's committer view of a closed part file; the sink's committer normally commits through the session. */
final class S3PartCommitter implements RecoverableFsDataOutputStream.Committer {

    private final UploadContext context;
    private final RecoverableWriter.CommitRecoverable recoverable;

    S3PartCommitter(UploadContext context, RecoverableWriter.CommitRecoverable recoverable) {
        this.context = context;
        this.recoverable = recoverable;
    }

    @Override
    public void commit() throws IOException {
        commitAfterRecovery();
    }

    @Override
    public void commitAfterRecovery() throws IOException {
        S3Recoverable resolved = S3Recoverable.resolve(recoverable);
        if (resolved.isHidden()) {
            new HiddenFileCommitter(context.operations(), context.destination(), context.staging()).commit(resolved);
        } else {
            new S3Committer(context.operations(), context.destination(), context.staging()).commit(resolved);
        }
    }

    @Override
    public RecoverableWriter.CommitRecoverable getRecoverable() {
        return recoverable;
    }
}
