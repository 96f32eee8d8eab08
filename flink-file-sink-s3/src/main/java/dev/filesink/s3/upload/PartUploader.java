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
 * Uploads one writer's data in the background, in two lanes:
 *
 * <ul>
 *   <li><b>Parts</b> that fill while a file is written: a fixed number of threads (parts in flight) and a bounded
 *       number of full parts waiting for them. A writer that fills parts faster than they upload blocks in
 *       {@link #submitPart}, which bounds memory and spill files.
 *   <li><b>Requests</b> made when files are closed or persisted at a checkpoint (last parts, staged tails): a checkpoint
 *       may close hundreds of small files at once, each a round trip or two, so this lane runs wider and never
 *       blocks the writer. Its buffers already exist (the writer filled them), so admitting them costs no memory.
 * </ul>
 */
public final class PartUploader implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PartUploader.class);
    private static final AtomicInteger POOLS = new AtomicInteger();

    /** An upload of one buffered part or staging object. */
    @FunctionalInterface
    public interface Upload<T> {
        T run() throws IOException;
    }

    private final ThreadPoolExecutor parts;
    private final ThreadPoolExecutor requests;
    private final Semaphore partSlots;
    private final long closeTimeoutMillis;

    /**
     * @param partThreads full parts uploading at once
     * @param maxQueuedParts full parts waiting for a thread before {@link #submitPart} blocks
     * @param requestThreads closing and persisting requests in flight at once
     */
    public PartUploader(int partThreads, int maxQueuedParts, int requestThreads, long closeTimeoutMillis) {
        int poolId = POOLS.incrementAndGet();
        this.parts = pool(partThreads, "filesink-s3-upload-" + poolId + "-");
        this.requests = pool(requestThreads, "filesink-s3-request-" + poolId + "-");
        this.partSlots = new Semaphore(partThreads + maxQueuedParts);
        this.closeTimeoutMillis = closeTimeoutMillis;
    }

    private static ThreadPoolExecutor pool(int threads, String namePrefix) {
        AtomicInteger threadIds = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), runnable -> {
                    Thread thread = new Thread(runnable, namePrefix + threadIds.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    /**
     * Queues the upload of a full part, blocking while too many parts are queued. The buffer is released when the
     * upload ends, whether it succeeded or not.
     */
    <T> CompletableFuture<T> submitPart(PartBuffer buffer, Upload<T> upload) throws IOException {
        try {
            partSlots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            buffer.release();
            throw new InterruptedIOException("Interrupted while waiting to queue a part upload");
        }
        return execute(parts, new Task<>(buffer, upload, partSlots));
    }

    /**
     * Queues a request of a closing or persisting file (its last part, a staged tail) without blocking. The buffer
     * is released when the request ends.
     */
    <T> CompletableFuture<T> submitRequest(PartBuffer buffer, Upload<T> upload) throws IOException {
        return execute(requests, new Task<>(buffer, upload, null));
    }

    /** Queues a request without data (starting an upload) on the request lane. */
    <T> CompletableFuture<T> submitRequest(Upload<T> upload) throws IOException {
        return execute(requests, new Task<>(null, upload, null));
    }

    private static <T> CompletableFuture<T> execute(ThreadPoolExecutor pool, Task<T> task) throws IOException {
        try {
            pool.execute(task);
        } catch (RuntimeException e) {
            task.cancel();
            throw new IOException("The upload pool is shut down", e);
        }
        return task.result;
    }

    /** Uploads and requests queued or running right now. */
    public int pending() {
        return parts.getQueue().size() + parts.getActiveCount() + requests.getQueue().size() + requests.getActiveCount();
    }

    @Override
    public void close() {
        for (ThreadPoolExecutor pool : List.of(parts, requests)) {
            for (Runnable queued : pool.shutdownNow()) {
                if (queued instanceof Task) {
                    ((Task<?>) queued).cancel();
                }
            }
        }
        long deadline = System.currentTimeMillis() + closeTimeoutMillis;
        try {
            // An upload still running must not land after a restarted writer re-uploaded the same part number.
            for (ThreadPoolExecutor pool : List.of(parts, requests)) {
                long left = Math.max(0, deadline - System.currentTimeMillis());
                if (!pool.awaitTermination(left, TimeUnit.MILLISECONDS)) {
                    LOG.warn("Uploads still running {} ms after the writer closed", closeTimeoutMillis);
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static final class Task<T> implements Runnable {
        private final PartBuffer buffer;
        private final Upload<T> upload;
        private final Semaphore slots;
        private final CompletableFuture<T> result = new CompletableFuture<>();

        Task(PartBuffer buffer, Upload<T> upload, Semaphore slots) {
            this.buffer = buffer;
            this.upload = upload;
            this.slots = slots;
        }

        @Override
        public void run() {
            try {
                result.complete(upload.run());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            } finally {
                done();
            }
        }

        void cancel() {
            done();
            result.completeExceptionally(new IOException("Upload cancelled: the writer was closed"));
        }

        private void done() {
            if (buffer != null) {
                buffer.release();
            }
            if (slots != null) {
                slots.release();
            }
        }
    }
}
