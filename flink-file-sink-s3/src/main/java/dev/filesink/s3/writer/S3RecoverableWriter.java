package dev.filesink.s3.writer;

import dev.filesink.s3.S3Location;
import dev.filesink.s3.client.S3Errors;
import dev.filesink.s3.client.S3Operations;

import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.RecoverableFsDataOutputStream;
import org.apache.flink.core.fs.RecoverableWriter;
import org.apache.flink.core.io.SimpleVersionedSerializer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import software.amazon.awssdk.services.s3.model.Part;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Flink's {@link RecoverableWriter} on S3 multipart uploads, without Hadoop. See {@link S3OutputStream} for how a
 * part file is written, persisted and closed, and {@code S3Committer} for the commit.
 */
public final class S3RecoverableWriter implements RecoverableWriter {

    private static final Logger LOG = LoggerFactory.getLogger(S3RecoverableWriter.class);

    private final Supplier<UploadContext> context;
    private final S3Operations operations;
    private final boolean hiddenNames;

    /**
     * @param context the writer's shared upload resources, created on first use (sessions that only serialize
     *     state never need them)
     * @param hiddenNames whether new files are written under hidden names (compacting sinks) instead of their final keys
     */
    public S3RecoverableWriter(Supplier<UploadContext> context, S3Operations operations, boolean hiddenNames) {
        this.context = context;
        this.operations = operations;
        this.hiddenNames = hiddenNames;
    }

    @Override
    public RecoverableFsDataOutputStream open(Path path) throws IOException {
        S3Location location = S3Location.of(path);
        return hiddenNames ? S3OutputStream.openHidden(context.get(), location) : S3OutputStream.open(context.get(), location);
    }

    @Override
    public RecoverableFsDataOutputStream recover(ResumeRecoverable resumable) throws IOException {
        S3Recoverable state = S3Recoverable.resolve(resumable);
        if (state.hasUpload()) {
            verifyUpload(state);
        }
        byte[] tail;
        if (state.inlineTail() != null) {
            tail = state.inlineTail();
        } else if (state.stagingKey() != null) {
            try {
                tail = operations.get(state.bucket(), state.stagingKey());
            } catch (FileNotFoundException e) {
                throw new FileNotFoundException("Cannot resume part file s3://" + state.bucket() + '/' + state.key()
                        + ": its staged tail s3://" + state.bucket() + '/' + state.stagingKey() + " is gone");
            }
        } else {
            tail = new byte[0];
        }
        // Other persists of this file (superseded, or of checkpoints that never completed) and uploads started
        // after the checkpoint: only the restored state can be resumed from now on.
        PartFileLeftovers leftovers = new PartFileLeftovers(operations, context.get().staging());
        leftovers.deleteTailsExcept(state, state.stagingKey());
        leftovers.abortUploadsExcept(state, state.uploadId());
        if (tail.length != state.tailLength()) {
            throw new IOException("Cannot resume part file s3://" + state.bucket() + '/' + state.key() + ": its tail has "
                    + tail.length + " bytes, the checkpoint recorded " + state.tailLength());
        }
        return S3OutputStream.resume(context.get(), state, tail);
    }

    /** Checks that the upload still exists with every persisted part, so a lost upload fails here, clearly. */
    private void verifyUpload(S3Recoverable state) throws IOException {
        List<Part> listed;
        try {
            listed = operations.listParts(state.bucket(), state.key(), state.uploadId());
        } catch (S3Errors.NoSuchUploadException e) {
            FileNotFoundException lost = new FileNotFoundException("Cannot resume part file s3://" + state.bucket() + '/'
                    + state.key() + ": its multipart upload " + state.uploadId() + " no longer exists (completed by a "
                    + "newer checkpoint's commit, or aborted, e.g. by a lifecycle rule)");
            lost.initCause(e);
            throw lost;
        }
        Map<Integer, String> etags = new HashMap<>();
        for (Part part : listed) {
            etags.put(part.partNumber(), part.eTag());
        }
        for (UploadedPart part : state.parts()) {
            if (!ETags.same(etags.get(part.number()), part.etag())) {
                throw new IOException("Cannot resume part file s3://" + state.bucket() + '/' + state.key() + ": part "
                        + part.number() + " of upload " + state.uploadId() + " is missing or was overwritten");
            }
        }
    }

    @Override
    public boolean requiresCleanupOfRecoverableState() {
        return true;
    }

    /**
     * Deletes the staged tail of a persist that a later checkpoint superseded (the upload itself continues), or one
     * that a restore found unreferenced.
     */
    @Override
    public boolean cleanupRecoverableState(ResumeRecoverable resumable) throws IOException {
        S3Recoverable state = S3Recoverable.resolve(resumable);
        if (state.stagingKey() != null) {
            operations.delete(state.bucket(), state.stagingKey());
            LOG.debug("Deleted staging object s3://{}/{}: no checkpoint needs it any more", state.bucket(),
                    state.stagingKey());
        }
        return true;
    }

    @Override
    public RecoverableFsDataOutputStream.Committer recoverForCommit(CommitRecoverable recoverable) {
        return new S3PartCommitter(context.get(), recoverable);
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public SimpleVersionedSerializer<CommitRecoverable> getCommitRecoverableSerializer() {
        return (SimpleVersionedSerializer) new S3RecoverableSerializer<CommitRecoverable>();
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public SimpleVersionedSerializer<ResumeRecoverable> getResumeRecoverableSerializer() {
        return (SimpleVersionedSerializer) new S3RecoverableSerializer<ResumeRecoverable>();
    }

    @Override
    public boolean supportsResume() {
        return true;
    }
}
