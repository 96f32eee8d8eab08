package dev.filesink.azure.writer;

import dev.filesink.azure.client.AzureErrors;

import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.storage.blob.options.BlockBlobStageBlockOptions;
import com.azure.storage.blob.specialized.BlockBlobClient;

import java.io.Closeable;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Stages blocks in the background for all part files of one writer subtask, within two bounds: at most
 * {@code uploadsInFlight} uploads at once (a caller that would start one more waits), and at most
 * {@code maxBufferedBytes} in the buffers of open part files (past it, the largest buffer is staged early).
 * So a writer holds at most {@code maxBufferedBytes + uploadsInFlight * blockSize} bytes, however many buckets it has.
 */
final class BlockStager implements Closeable {

    private static final AtomicInteger POOLS = new AtomicInteger();

    private final ExecutorService pool;
    private final Semaphore uploadPermits;
    private final long maxBufferedBytes;
    private final AtomicLong bufferedBytes = new AtomicLong();
    private final AtomicInteger uploadsInFlight = new AtomicInteger();
    private final Set<BlockBlobOutputStream> openStreams = new LinkedHashSet<>();
    private final AzureErrors errors;

    BlockStager(int uploadsInFlight, long maxBufferedBytes, AzureErrors errors) {
        int poolId = POOLS.incrementAndGet();
        AtomicInteger threads = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(uploadsInFlight, runnable -> {
            Thread thread = new Thread(runnable, "azure-block-upload-" + poolId + "-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.uploadPermits = new Semaphore(uploadsInFlight);
        this.maxBufferedBytes = maxBufferedBytes;
        this.errors = errors;
    }

    /** Starts staging a block; waits while the maximum number of uploads is in flight. */
    CompletableFuture<Void> stage(BlockBlobClient blob, String blockId, BinaryData data, String description)
            throws InterruptedIOException {
        try {
            uploadPermits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("Interrupted while waiting to stage " + description);
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        uploadsInFlight.incrementAndGet();
        try {
            pool.execute(() -> {
                try {
                    blob.stageBlockWithResponse(new BlockBlobStageBlockOptions(blockId, data), null, Context.NONE);
                    done.complete(null);
                } catch (Throwable t) {
                    done.completeExceptionally(errors.translate("stage " + description, t));
                } finally {
                    uploadsInFlight.decrementAndGet();
                    uploadPermits.release();
                }
            });
        } catch (RuntimeException e) {
            uploadsInFlight.decrementAndGet();
            uploadPermits.release();
            throw e;
        }
        return done;
    }

    synchronized void register(BlockBlobOutputStream stream) {
        openStreams.add(stream);
    }

    synchronized void unregister(BlockBlobOutputStream stream) {
        openStreams.remove(stream);
    }

    void addBuffered(long bytes) {
        bufferedBytes.addAndGet(bytes);
    }

    /** Stages the largest buffers early until the buffered bytes are within the budget again. */
    void enforceBudget() throws java.io.IOException {
        while (bufferedBytes.get() > maxBufferedBytes) {
            BlockBlobOutputStream largest = largestBuffer();
            if (largest == null) {
                return;
            }
            largest.stageBufferedBlock();
        }
    }

    private synchronized BlockBlobOutputStream largestBuffer() {
        BlockBlobOutputStream largest = null;
        for (BlockBlobOutputStream stream : openStreams) {
            if (stream.bufferedBytes() > 0 && (largest == null || stream.bufferedBytes() > largest.bufferedBytes())) {
                largest = stream;
            }
        }
        return largest;
    }

    long bufferedBytes() {
        return bufferedBytes.get();
    }

    int uploadsInFlight() {
        return uploadsInFlight.get();
    }

    synchronized List<BlockBlobOutputStream> openStreams() {
        return new ArrayList<>(openStreams);
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
