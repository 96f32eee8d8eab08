package dev.filesink.s3.writer;

import java.util.ArrayDeque;

/**
 * The heap budget of one writer's part buffers, handed out in fixed-size chunks. When the budget is used up,
 * {@link #tryAcquire()} answers null and the buffer spills to a local file instead. Released chunks are kept for
 * reuse, so a steady stream of parts does not churn the garbage collector.
 */
public final class BufferPool {

    private final int chunkSize;
    private final long maxChunks;
    private final ArrayDeque<byte[]> free = new ArrayDeque<>();
    private long allocated;
    private long inUse;

    public BufferPool(long budgetBytes, int chunkSize) {
        this.chunkSize = chunkSize;
        this.maxChunks = budgetBytes / chunkSize;
    }

    public int chunkSize() {
        return chunkSize;
    }

    /** A chunk, or null when the budget is exhausted. */
    public synchronized byte[] tryAcquire() {
        byte[] chunk = free.pollFirst();
        if (chunk == null) {
            if (allocated >= maxChunks) {
                return null;
            }
            chunk = new byte[chunkSize];
            allocated++;
        }
        inUse++;
        return chunk;
    }

    public synchronized void release(byte[] chunk) {
        inUse--;
        free.addFirst(chunk);
    }

    /** Bytes held by buffers right now. */
    public synchronized long bytesInUse() {
        return inUse * chunkSize;
    }

    /** Bytes allocated from the heap (in use or kept for reuse); never above the budget. */
    public synchronized long bytesAllocated() {
        return allocated * chunkSize;
    }
}
