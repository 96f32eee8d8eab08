package dev.filesink.s3.upload;

import org.apache.flink.core.fs.RecoverableWriter;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * A part file closed for commit whose last parts are still uploading in the background. Whoever needs the durable
 * state (the serializer at the checkpoint, or the committer) waits for it: so a checkpoint never completes before
 * the data is in S3, while closing many part files at once does not wait for each upload in turn.
 */
public final class PendingCommit implements RecoverableWriter.CommitRecoverable {

    private final String description;
    private final CompletableFuture<S3Recoverable> uploaded;

    PendingCommit(String description, CompletableFuture<S3Recoverable> uploaded) {
        this.description = description;
        this.uploaded = uploaded;
    }

    /** Waits for the uploads and returns the durable state, or throws what made them fail. */
    public S3Recoverable await() throws IOException {
        try {
            return uploaded.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("Interrupted while waiting for the upload of " + description);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException) {
                throw new IOException("Upload of " + description + " failed: " + cause.getMessage(), cause);
            }
            throw new IOException("Upload of " + description + " failed", cause);
        }
    }

    /** The durable state of any commit recoverable of this writer. */
    public static S3Recoverable resolve(RecoverableWriter.CommitRecoverable recoverable) throws IOException {
        if (recoverable instanceof S3Recoverable) {
            return (S3Recoverable) recoverable;
        }
        if (recoverable instanceof PendingCommit) {
            return ((PendingCommit) recoverable).await();
        }
        throw new IOException("Not a recoverable of the S3 writer: " + recoverable.getClass().getName()
                + " (was the job's state written by another storage?)");
    }

    @Override
    public String toString() {
        return "PendingCommit{" + description + (uploaded.isDone() ? ", uploaded" : ", uploading") + '}';
    }
}
