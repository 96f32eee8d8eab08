package dev.filesink.storage.objectstore;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs one writer subtask's uploads in the background, in up to two lanes:
 *
 * <ul>
 *   <li><b>Data</b> ({@link #submit}) that fills while a file is written: a fixed number of threads and a bounded
 *       number of uploads waiting for them. A writer that fills buffers faster than they upload blocks in
 *       {@link #submit}, which bounds its memory.
 *   <li><b>Requests</b> ({@link #submitRequest}) made when files are closed or persisted at a checkpoint: a
 *       checkpoint may close hundreds of small files at once, each a round trip or two, so this lane may run wider
 *       and never blocks the writer. Its buffers already exist, so admitting them costs no memory.
 * </ul>
 *
 * <p>Each upload's future completes with its result or with what made it fail; its release action (a buffer's) runs
 * once it has ended, whether it ran, failed or was cancelled by {@link #close()}.
 */
public final class BackgroundUploader implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BackgroundUploader.class);
    private static final AtomicInteger POOLS = new AtomicInteger();

    /** One upload. */
    @FunctionalInterface
    public interface Upload<T> {
        T run() throws IOException;
    }

    private final ThreadPoolExecutor data;
    @Nullable private final ThreadPoolExecutor requests;
    private final Semaphore dataSlots;
    private final int dataCapacity;
    private final long closeTimeoutMillis;

    /**
     * @param name thread name prefix, e.g. {@code filesink-s3}
     * @param threads data uploads running at once
     * @param maxQueued data uploads waiting for a thread before {@link #submit} blocks
     * @param requestThreads requests running at once (0: no request lane)
     * @param closeTimeoutMillis how long {@link #close()} waits for running uploads (0: it does not wait)
     */
    public BackgroundUploader(String name, int threads, int maxQueued, int requestThreads, long closeTimeoutMillis) {
        if (threads < 1 || maxQueued < 0 || requestThreads < 0 || closeTimeoutMillis < 0) {
            throw new IllegalArgumentException("Background uploader '" + name + "': threads must be at least 1 and "
                    + "the other bounds not negative, were " + threads + ", " + maxQueued + ", " + requestThreads
                    + ", " + closeTimeoutMillis);
        }
        int poolId = POOLS.incrementAndGet();
        this.data = pool(threads, name + "-upload-" + poolId + "-");
        this.requests = requestThreads == 0 ? null : pool(requestThreads, name + "-request-" + poolId + "-");
        this.dataCapacity = threads + maxQueued;
        this.dataSlots = new Semaphore(dataCapacity);
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
     * Queues a data upload, blocking while the data lane is full.
     *
     * @param release run once the upload has ended (or could not be queued), or null
     */
    public <T> CompletableFuture<T> submit(Upload<T> upload, @Nullable Runnable release) throws IOException {
        try {
            dataSlots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (release != null) {
                release.run();
            }
            throw new InterruptedIOException("Interrupted while waiting to queue an upload");
        }
        return execute(data, new Task<>(upload, release, dataSlots));
    }

    /**
     * Queues a request without blocking.
     *
     * @param release run once the request has ended (or could not be queued), or null
     */
    public <T> CompletableFuture<T> submitRequest(Upload<T> upload, @Nullable Runnable release) throws IOException {
        if (requests == null) {
            throw new IllegalStateException("This uploader has no request lane");
        }
        return execute(requests, new Task<>(upload, release, null));
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

    /** Uploads queued or running right now. */
    public int pending() {
        int pending = data.getQueue().size() + data.getActiveCount();
        return requests == null ? pending : pending + requests.getQueue().size() + requests.getActiveCount();
    }

    /** Data uploads admitted and not yet ended (running or waiting for a thread). */
    public int dataInFlight() {
        return dataCapacity - dataSlots.availablePermits();
    }

    /**
     * Cancels queued uploads and waits up to the close timeout for running ones: an upload still running must not
     * land after a restarted writer uploaded the same data again.
     */
    @Override
    public void close() {
        List<ThreadPoolExecutor> pools = new ArrayList<>(List.of(data));
        if (requests != null) {
            pools.add(requests);
        }
        for (ThreadPoolExecutor pool : pools) {
            for (Runnable queued : pool.shutdownNow()) {
                if (queued instanceof Task) {
                    ((Task<?>) queued).cancel();
                }
            }
        }
        if (closeTimeoutMillis == 0) {
            return;
        }
        long deadline = System.currentTimeMillis() + closeTimeoutMillis;
        try {
            for (ThreadPoolExecutor pool : pools) {
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
        private final Upload<T> upload;
        @Nullable private final Runnable release;
        @Nullable private final Semaphore slots;
        private final CompletableFuture<T> result = new CompletableFuture<>();

        Task(Upload<T> upload, @Nullable Runnable release, @Nullable Semaphore slots) {
            this.upload = upload;
            this.release = release;
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
            if (release != null) {
                release.run();
            }
            if (slots != null) {
                slots.release();
            }
        }
    }
}
