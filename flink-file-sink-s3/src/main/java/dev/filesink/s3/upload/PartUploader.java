package dev.filesink.s3.upload;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Uploads the parts of one writer's part files in the background: a fixed number of threads (parts in flight) and
 * a bounded number of full parts waiting for them. A writer that fills parts faster than they upload blocks in
 * {@link #submit}, which bounds both memory and spill files.
 */
public final class PartUploader implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PartUploader.class);
    private static final AtomicInteger POOLS = new AtomicInteger();

    /** An upload of one buffered part. */
    @FunctionalInterface
    public interface Upload {
        UploadedPart run() throws IOException;
    }

    private final ThreadPoolExecutor pool;
    private final Semaphore slots;
    private final long closeTimeoutMillis;

    public PartUploader(int threads, int maxQueued, long closeTimeoutMillis) {
        int poolId = POOLS.incrementAndGet();
        AtomicInteger threadIds = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), runnable -> {
            Thread thread = new Thread(runnable, "filesink-s3-upload-" + poolId + "-" + threadIds.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.pool.allowCoreThreadTimeOut(true);
        this.slots = new Semaphore(threads + maxQueued);
        this.closeTimeoutMillis = closeTimeoutMillis;
    }

    /**
     * Queues the upload of a sealed buffer, blocking while too many parts are queued. The buffer is released when
     * the upload ends, whether it succeeded or not.
     */
    CompletableFuture<UploadedPart> submit(PartBuffer buffer, Upload upload) throws IOException {
        try {
            slots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            buffer.release();
            throw new InterruptedIOException("Interrupted while waiting to queue a part upload");
        }
        CompletableFuture<UploadedPart> result = new CompletableFuture<>();
        Task task = new Task(buffer, upload, result);
        try {
            pool.execute(task);
        } catch (RuntimeException e) {
            task.cancel();
            throw new IOException("The upload pool is shut down", e);
        }
        return result;
    }

    /** Parts queued or uploading right now. */
    public int pending() {
        return pool.getQueue().size() + pool.getActiveCount();
    }

    @Override
    public void close() {
        List<Runnable> queued = pool.shutdownNow();
        for (Runnable runnable : queued) {
            if (runnable instanceof Task) {
                ((Task) runnable).cancel();
            }
        }
        try {
            // An upload still running must not land after a restarted writer re-uploaded the same part number.
            if (!pool.awaitTermination(closeTimeoutMillis, TimeUnit.MILLISECONDS)) {
                LOG.warn("Part uploads still running {} ms after the writer closed", closeTimeoutMillis);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private final class Task implements Runnable {
        private final PartBuffer buffer;
        private final Upload upload;
        private final CompletableFuture<UploadedPart> result;

        Task(PartBuffer buffer, Upload upload, CompletableFuture<UploadedPart> result) {
            this.buffer = buffer;
            this.upload = upload;
            this.result = result;
        }

        @Override
        public void run() {
            try {
                result.complete(upload.run());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            } finally {
                buffer.release();
                slots.release();
            }
        }

        void cancel() {
            buffer.release();
            slots.release();
            result.completeExceptionally(new IOException("Part upload cancelled: the writer was closed"));
        }
    }
}
