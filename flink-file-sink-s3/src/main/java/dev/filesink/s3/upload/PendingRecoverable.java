package dev.filesink.s3.upload;

import org.apache.flink.core.fs.RecoverableWriter;

import javax.annotation.Nullable;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The state of a part file that is still being made durable in the background: closed for commit while its last
 * part uploads, or persisted while its tail is staged. Whoever needs the durable state (the serializer at the
 * checkpoint, the committer, a resume) waits for it. So a checkpoint never records data that is not in S3, while
 * closing or persisting many part files at once does not wait for each request in turn.
 *
 * <p>It may also hold a reservation of the writer's {@link StateBudget} for bytes it carries in the state (an inline
 * tail, a small file's content); the reservation ends once the state has been handed on.
 */
public final class PendingRecoverable
        implements RecoverableWriter.CommitRecoverable, RecoverableWriter.ResumeRecoverable {

    private final String description;
    private final CompletableFuture<S3Recoverable> durable;
    @Nullable private final StateBudget.Reservation reservation;

    PendingRecoverable(String description, CompletableFuture<S3Recoverable> durable,
            @Nullable StateBudget.Reservation reservation) {
        this.description = description;
        this.durable = durable;
        this.reservation = reservation;
    }

    /** Waits for the uploads and returns the durable state, or throws what made them fail. */
    public S3Recoverable await() throws IOException {
        try {
            return durable.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("Interrupted while waiting for the upload of " + description);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException) {
                throw new IOException("Upload of " + description + " failed: " + cause.getMessage(), cause);
            }
            throw new IOException("Upload of " + description + " failed", cause);
        } finally {
            if (reservation != null) {
                reservation.release();
            }
        }
    }

    /** The durable state of any recoverable of this writer, waiting for it if it is still on its way. */
    public static S3Recoverable resolve(Object recoverable) throws IOException {
        if (recoverable instanceof S3Recoverable) {
            return (S3Recoverable) recoverable;
        }
        if (recoverable instanceof PendingRecoverable) {
            return ((PendingRecoverable) recoverable).await();
        }
        throw new IOException("Not a recoverable of the S3 writer: "
                + (recoverable == null ? "null" : recoverable.getClass().getName())
                + " (was the job's state written by another storage?)");
    }

    @Override
    public String toString() {
        return "PendingRecoverable{" + description + (durable.isDone() ? ", durable" : ", uploading") + '}';
    }
}
