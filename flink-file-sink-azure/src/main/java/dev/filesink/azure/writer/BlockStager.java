package dev.filesink.azure.writer;

import dev.filesink.azure.client.AzureBlobErrors;
import dev.filesink.storage.objectstore.BackgroundUploader;

import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.storage.blob.options.BlockBlobStageBlockOptions;
import com.azure.storage.blob.specialized.BlockBlobClient;

import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Stages blocks in the background for all part files of one writer subtask, within two bounds: at most
 * {@code uploadsInFlight} uploads at once (a caller that would start one more waits; the core's
 * {@link BackgroundUploader} keeps this bound), and at most {@code maxBufferedBytes} in the buffers of open part files
 * (past it, the largest buffer is staged early). So a writer holds at most
 * {@code maxBufferedBytes + uploadsInFlight * blockSize} bytes, however many buckets it has.
 */
final class BlockStager implements Closeable {

    private final BackgroundUploader uploader;
    private final long maxBufferedBytes;
    private final AtomicLong bufferedBytes = new AtomicLong();
    private final Set<AzureBlobOutputStream> openStreams = new LinkedHashSet<>();
    private final AzureBlobErrors errors;

    BlockStager(int uploadsInFlight, long maxBufferedBytes, AzureBlobErrors errors) {
        // No queue and no request lane: a writer waits for a free upload; close does not wait for running ones.
        this.uploader = new BackgroundUploader("filesink-azure", uploadsInFlight, 0, 0, 0);
        this.maxBufferedBytes = maxBufferedBytes;
        this.errors = errors;
    }

    /** Starts staging a block; waits while the maximum number of uploads is in flight. */
    CompletableFuture<Void> stage(BlockBlobClient blob, String blockId, BinaryData data, String description)
            throws IOException {
        return uploader.submit(() -> {
            try {
                blob.stageBlockWithResponse(new BlockBlobStageBlockOptions(blockId, data), null, Context.NONE);
                return null;
            } catch (RuntimeException e) {
                throw errors.translate("stage " + description, e);
            }
        }, null);
    }

    synchronized void register(AzureBlobOutputStream stream) {
        openStreams.add(stream);
    }

    synchronized void unregister(AzureBlobOutputStream stream) {
        openStreams.remove(stream);
    }

    void addBuffered(long bytes) {
        bufferedBytes.addAndGet(bytes);
    }

    /** Stages the largest buffers early until the buffered bytes are within the budget again. */
    void enforceBudget() throws IOException {
        while (bufferedBytes.get() > maxBufferedBytes) {
            AzureBlobOutputStream largest = largestBuffer();
            if (largest == null) {
                return;
            }
            largest.stageBufferedBlock();
        }
    }

    private synchronized AzureBlobOutputStream largestBuffer() {
        AzureBlobOutputStream largest = null;
        for (AzureBlobOutputStream stream : openStreams) {
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
        return uploader.dataInFlight();
    }

    synchronized List<AzureBlobOutputStream> openStreams() {
        return new ArrayList<>(openStreams);
    }

    @Override
    public void close() {
        uploader.close();
    }
}
