package dev.filesink.s3.takeover;

import dev.filesink.s3.client.S3Errors;
import dev.filesink.s3.client.S3Operations;
import dev.filesink.s3.writer.S3Recoverable;

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
    private final S3Operations operations;

    /**
     * @param s3Writer the S3 storage's own writer
     * @param bucket the storage's bucket, which Flink's state does not name
     */
    public FlinkStateTakeoverWriter(RecoverableWriter s3Writer, S3Operations operations, String bucket) {
        this.s3Writer = s3Writer;
        this.converter = new FlinkS3StateConverter(operations, bucket);
        this.tails = new FlinkTailObjects(operations);
        this.operations = operations;
    }

    @Override
    public RecoverableFsDataOutputStream open(Path path) throws IOException {
        return s3Writer.open(path);
    }

    @Override
    public RecoverableFsDataOutputStream recover(ResumeRecoverable resumable) throws IOException {
        if (resumable instanceof S3Recoverable state && isFlinks(state)) {
            if (!uploadHoldsTheParts(state)) {
                throw new FileNotFoundException("Cannot resume the part file s3://" + state.bucket() + '/' + state.key()
                        + " of Flink's FileSink: its multipart upload " + state.uploadId() + " no longer exists or no"
                        + " longer holds the parts Flink's state names. It was aborted or completed after the savepoint"
                        + " or checkpoint was taken: by a bucket lifecycle rule, or by flink-s3-fs-native itself, which"
                        + " aborts a file's upload when its stream is closed (as on 'flink stop'). Restore from a"
                        + " retained checkpoint whose uploads still exist, or switch through a drained savepoint of"
                        + " Flink's sink ('flink stop --drain'); see docs/switching-from-flink-filesink.md.");
            }
            tails.deleteTailsOf(state.bucket(), state.key(), state.stagingKey());
        }
        return s3Writer.recover(resumable);
    }

    /** Part sizes are only unknown when ListParts did not find the upload while the state was read. */
    private boolean uploadHoldsTheParts(S3Recoverable state) throws IOException {
        if (state.parts().stream().anyMatch(part -> part.size() == FlinkS3StateConverter.UNKNOWN_SIZE)) {
            return false;
        }
        try {
            operations.listParts(state.bucket(), state.key(), state.uploadId());
            return true;
        } catch (S3Errors.NoSuchUploadException e) {
            return false;
        }
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
