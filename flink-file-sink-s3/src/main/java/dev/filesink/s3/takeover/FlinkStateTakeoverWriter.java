package dev.filesink.s3.takeover;

import dev.filesink.s3.client.S3Operations;
import dev.filesink.s3.upload.S3Recoverable;

import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.RecoverableFsDataOutputStream;
import org.apache.flink.core.fs.RecoverableWriter;
import org.apache.flink.core.io.SimpleVersionedSerializer;

import java.io.FileNotFoundException;
import java.io.IOException;

/**
 * The S3 storage's recoverable writer, able to take over part files of Flink's own {@code FileSink} on Flink's S3
 * file system: its serializers read Flink's recoverables too ({@link FlinkStateReadingSerializer}), and resuming one
 * of Flink's files first deletes Flink's tail objects of that file that the restored state does not name. Everything
 * else is the S3 writer's: Flink's upload is continued, Flink's tail object becomes the resumed file's first bytes and
 * is deleted with the cleanup of the restored state (once a checkpoint of ours has superseded it) or with the commit.
 */
public final class FlinkStateTakeoverWriter implements RecoverableWriter {

    private final RecoverableWriter s3Writer;
    private final FlinkS3StateConverter converter;
    private final FlinkTailObjects tails;

    /**
     * @param s3Writer the S3 storage's own writer
     * @param bucket the storage's bucket, which Flink's state does not name
     */
    public FlinkStateTakeoverWriter(RecoverableWriter s3Writer, S3Operations operations, String bucket) {
        this.s3Writer = s3Writer;
        this.converter = new FlinkS3StateConverter(operations, bucket);
        this.tails = new FlinkTailObjects(operations);
    }

    @Override
    public RecoverableFsDataOutputStream open(Path path) throws IOException {
        return s3Writer.open(path);
    }

    @Override
    public RecoverableFsDataOutputStream recover(ResumeRecoverable resumable) throws IOException {
        if (resumable instanceof S3Recoverable state && isFlinks(state)) {
            if (state.parts().stream().anyMatch(part -> part.size() == FlinkS3StateConverter.UNKNOWN_SIZE)) {
                throw new FileNotFoundException("Cannot resume the part file s3://" + state.bucket() + '/' + state.key()
                        + " of Flink's FileSink: its multipart upload " + state.uploadId() + " no longer holds the"
                        + " parts Flink's state names (the upload was completed or aborted, for example by a bucket"
                        + " lifecycle rule, after the savepoint or checkpoint was taken). Restore from a newer"
                        + " savepoint or checkpoint; see docs/switching-from-flink-filesink.md.");
            }
            tails.deleteTailsOf(state.bucket(), state.key(), state.stagingKey());
        }
        return s3Writer.recover(resumable);
    }

    /**
     * Before one of Flink's files is committed as it is (a pending file, or an in-progress file that a rescale hands
     * to the committer): deletes Flink's tail objects of the file other than the one the commit uses.
     */
    public void beforeCommit(S3Recoverable file) throws IOException {
        if (isFlinks(file)) {
            tails.deleteTailsOf(file.bucket(), file.key(), file.stagingKey());
        }
    }

    /** Whether the state came from Flink's S3 file system: its token is the one taken-over uploads get. */
    private static boolean isFlinks(S3Recoverable state) {
        return state.hasUpload() && state.token().equals(FlinkS3StateConverter.tokenOf(state.uploadId()));
    }

    @Override
    public boolean requiresCleanupOfRecoverableState() {
        return s3Writer.requiresCleanupOfRecoverableState();
    }

    @Override
    public boolean cleanupRecoverableState(ResumeRecoverable resumable) throws IOException {
        return s3Writer.cleanupRecoverableState(resumable);
    }

    @Override
    public RecoverableFsDataOutputStream.Committer recoverForCommit(CommitRecoverable recoverable) throws IOException {
        return s3Writer.recoverForCommit(recoverable);
    }

    @Override
    public SimpleVersionedSerializer<CommitRecoverable> getCommitRecoverableSerializer() {
        return new FlinkStateReadingSerializer<>(s3Writer.getCommitRecoverableSerializer(), converter);
    }

    @Override
    public SimpleVersionedSerializer<ResumeRecoverable> getResumeRecoverableSerializer() {
        return new FlinkStateReadingSerializer<>(s3Writer.getResumeRecoverableSerializer(), converter);
    }

    @Override
    public boolean supportsResume() {
        return s3Writer.supportsResume();
    }
}
