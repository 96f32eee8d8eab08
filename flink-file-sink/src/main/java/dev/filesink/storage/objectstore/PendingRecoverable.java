package dev.filesink.storage.objectstore;

import org.apache.flink.core.fs.RecoverableWriter;

import javax.annotation.Nullable;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The state of a part file that is still being made durable in the background: closed for commit while its last
 * bytes upload, or persisted while its tail is staged. Whoever needs the durable state (the serializer at the
 * checkpoint, the committer, a resume) waits for it with {@link #resolve}. So a checkpoint never records data that is
 * not stored, while closing or persisting many part files at once does not wait for each request in turn.
 *
 * <p>It may carry a release action (e.g. of a budget for bytes the state carries); it runs once the state has been
 * handed on.
 *
 * @param <R> the storage's durable recoverable
 */
public final class PendingRecoverable<R>
        implements RecoverableWriter.CommitRecoverable, RecoverableWriter.ResumeRecoverable {

    private final String description;
    private final CompletableFuture<R> durable;
    @Nullable private final Runnable release;

    /**
     * @param description what is uploaded, for messages (never a secret)
     * @param durable completes with the durable state, or with what made the uploads fail
     * @param release run each time the state has been handed on (so it must be idempotent), or null
     */
    public PendingRecoverable(String description, CompletableFuture<R> durable, @Nullable Runnable release) {
        this.description = description;
        this.durable = durable;
        this.release = release;
    }

    /** Waits for the uploads and returns the durable state, or throws what made them fail. */
    public R await() throws IOException {
        try {
            return durable.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("Interrupted while waiting for the upload of " + description);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw new IOException("Upload of " + description + " failed: " + cause.getMessage(), cause);
        } finally {
            if (release != null) {
                release.run();
            }
        }
    }

    /**
     * The durable state of any recoverable of a storage, waiting for it if it is still on its way.
     *
     * @param type the storage's durable recoverable
     * @param storage the storage's name, for the message when the recoverable is of another storage
     */
    public static <R> R resolve(Object recoverable, Class<R> type, String storage) throws IOException {
        Object resolved = recoverable instanceof PendingRecoverable<?> pending ? pending.await() : recoverable;
        if (type.isInstance(resolved)) {
            return type.cast(resolved);
        }
        throw new IOException("Not a recoverable of the " + storage + " writer: "
                + (resolved == null ? "null" : resolved.getClass().getName())
                + " (was the job's state written by another storage?)");
    }

    /** Whether the uploads have ended (successfully or not). */
    public boolean isDone() {
        return durable.isDone();
    }

    @Override
    public String toString() {
        return "PendingRecoverable{" + description + (durable.isDone() ? ", durable" : ", uploading") + '}';
    }
}
