package dev.filesink.formats.compression;

import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The compression threads of a JVM (a TaskManager), shared by every subtask and part file that compresses in
 * parallel: one pool per thread count, so a TaskManager with many slots does not start threads per part file.
 *
 * <p>Threads are daemons and end after {@value #IDLE_SECONDS} s without work, so a finished job leaves none behind
 * (nor its class loader). The queue is bounded; when it is full the submitting task thread compresses the block
 * itself, which is the back pressure: a subtask can never queue more work than the pool will do soon.
 */
final class CompressionPool {

    static final int IDLE_SECONDS = 30;
    /** Blocks waiting per thread before submitters compress themselves. */
    private static final int QUEUED_PER_THREAD = 4;

    private static final Map<Integer, ExecutorService> POOLS = new ConcurrentHashMap<>();

    private CompressionPool() {}

    /** The shared pool with this many threads. */
    static ExecutorService shared(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("compression threads must be at least 1, got " + threads);
        }
        return POOLS.computeIfAbsent(threads, CompressionPool::create);
    }

    private static ExecutorService create(int threads) {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, IDLE_SECONDS, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(threads * QUEUED_PER_THREAD), new Threads(threads),
                new ThreadPoolExecutor.CallerRunsPolicy());
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    /** Named daemon threads that do not hold on to the creating task's context class loader. */
    private static final class Threads implements ThreadFactory {

        private final AtomicInteger created = new AtomicInteger();
        private final int poolSize;

        Threads(int poolSize) {
            this.poolSize = poolSize;
        }

        @Override
        public Thread newThread(Runnable work) {
            Thread thread = new Thread(work,
                    "filesink-compression-" + poolSize + "-" + created.incrementAndGet());
            thread.setDaemon(true);
            thread.setContextClassLoader(CompressionPool.class.getClassLoader());
            return thread;
        }
    }
}
