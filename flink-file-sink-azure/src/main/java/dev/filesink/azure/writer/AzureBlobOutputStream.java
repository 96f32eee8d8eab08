package dev.filesink.azure.writer;

import dev.filesink.partfile.MemoryReporting;
import dev.filesink.partfile.RollReason;
import dev.filesink.partfile.RollRequesting;
import dev.filesink.storage.objectstore.PendingRecoverable;

import com.azure.storage.blob.specialized.BlockBlobClient;

import org.apache.flink.core.fs.RecoverableFsDataOutputStream;
import org.apache.flink.core.fs.RecoverableWriter;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;

/**
 * An in-progress part file as an uncommitted block blob. Bytes fill a buffer; each full block is staged (Put Block)
 * in the background. {@link #persist()} stages what is buffered, waits for every staging in flight and returns the
 * ordered block list; nothing is visible to readers until the committer puts that list.
 *
 * <p>The sink asks it before every record whether to roll (a blob may have at most 50,000 committed blocks, see
 * {@link #nearBlockLimit()}) and counts its block buffer in the writer's memory budget.
 *
 * <p>Used by one thread (the writer's), except that uploads complete on the stager's threads.
 */
public final class AzureBlobOutputStream extends RecoverableFsDataOutputStream
        implements RollRequesting<Object>, MemoryReporting {

    /** Blocks kept free below the limit, on top of what the largest write so far needed: a persist and the last block. */
    private static final int RESERVED_BLOCKS = 3;

    private final BlockBlobClient blob;
    private final String container;
    private final String blobName;
    private final String hiddenName;
    private final BlockStager stager;
    private final Function<RecoverableWriter.CommitRecoverable, Committer> committers;
    private final int blockSize;
    private final int maxBlocks;
    private final String incarnation = BlockList.newIncarnation();
    private final BlockBuffer buffer = new BlockBuffer();
    private final List<CompletableFuture<Void>> inFlight = new ArrayList<>();

    private BlockList blocks;
    private long position;
    private int mostBlocksOfOneWrite = 1;
    private boolean closed;
    private IOException failure;

    AzureBlobOutputStream(
            BlockBlobClient blob,
            String container,
            String blobName,
            String hiddenName,
            BlockStager stager,
            Function<RecoverableWriter.CommitRecoverable, Committer> committers,
            int blockSize,
            int maxBlocks,
            BlockList persistedBlocks,
            long persistedLength) {
        this.blob = blob;
        this.container = container;
        this.blobName = blobName;
        this.hiddenName = hiddenName;
        this.stager = stager;
        this.committers = committers;
        this.blockSize = blockSize;
        this.maxBlocks = maxBlocks;
        this.blocks = persistedBlocks;
        this.position = persistedLength;
        stager.register(this);
    }

    @Override
    public void write(int b) throws IOException {
        checkOpen();
        buffer.write(b);
        position++;
        stager.addBuffered(1);
        if (buffer.size() >= blockSize) {
            stageBufferedBlock();
        }
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        checkOpen();
        int blocksBefore = blocks.size();
        while (length > 0) {
            int n = Math.min(length, blockSize - buffer.size());
            buffer.write(bytes, offset, n);
            position += n;
            stager.addBuffered(n);
            offset += n;
            length -= n;
            if (buffer.size() >= blockSize) {
                stageBufferedBlock();
            }
        }
        stager.enforceBudget();
        mostBlocksOfOneWrite = Math.max(mostBlocksOfOneWrite, blocks.size() - blocksBefore);
    }

    @Override
    public long getPos() {
        return position;
    }

    /** Nothing to do: data only becomes visible at commit, and a flush must not cut a block. */
    @Override
    public void flush() {}

    /** Stages what is buffered and waits until every block written so far is stored durably. */
    @Override
    public void sync() throws IOException {
        checkOpen();
        stageBufferedBlock();
        awaitStaged();
    }

    /**
     * Stages what is buffered and returns the block list. The last uploads may still be running: the recoverable
     * waits for them before it is written into a checkpoint (see {@link AzureBlobRecoverable#resolve}).
     */
    @Override
    public RecoverableWriter.ResumeRecoverable persist() throws IOException {
        checkOpen();
        stageBufferedBlock();
        return recoverable(uploadsSoFar());
    }

    /** Like {@link #persist()}, and ends writing: the part file's buffer is released at once. */
    @Override
    public Committer closeForCommit() throws IOException {
        checkOpen();
        stageBufferedBlock();
        PendingRecoverable<AzureBlobRecoverable> pending = recoverable(uploadsSoFar());
        release();
        return committers.apply(pending);
    }

    /** Abandons the part file: its staged blocks are never committed and expire. */
    @Override
    public void close() {
        if (!closed) {
            release();
        }
    }

    /** Bytes buffered and not yet staged: rolling the part file stages and frees them. */
    @Override
    public long bufferedBytes() {
        return buffer.size();
    }

    /** Asks the sink for a new part file before this blob runs out of blocks. */
    @Override
    public RollReason rollBefore(Object next) {
        return nearBlockLimit() ? RollReason.STORAGE : null;
    }

    /** Blocks staged (or staging) so far, including those of the resumed checkpoint. */
    public int blockCount() {
        return blocks.size();
    }

    /**
     * Whether the part file should roll now: one more write, a persist and the final block must still fit under the
     * service's limit of committed blocks.
     */
    public boolean nearBlockLimit() {
        int pendingBlock = buffer.size() > 0 ? 1 : 0;
        return blocks.size() + pendingBlock + mostBlocksOfOneWrite + RESERVED_BLOCKS >= maxBlocks;
    }

    /** Stages the buffered bytes as the next block (any size), unless nothing is buffered. */
    void stageBufferedBlock() throws IOException {
        if (buffer.size() == 0) {
            return;
        }
        checkFailures();
        if (blocks.size() >= maxBlocks) {
            throw new IOException("Part file " + describe() + " would pass " + maxBlocks + " blocks, the most a block "
                    + "blob may have: roll part files earlier (dev.filesink.FileSink rolls before the limit on its own; "
                    + "another sink's rolling policy must roll by size, or raise blockSize)");
        }
        int index = blocks.size();
        String blockId = BlockList.encode(incarnation, index);
        int size = buffer.size();
        stager.addBuffered(-size);
        blocks = blocks.append(incarnation);
        inFlight.add(stager.stage(blob, blockId, buffer.take(), "block " + index + " (" + size + " bytes) of " + describe()));
    }

    private void awaitStaged() throws IOException {
        for (CompletableFuture<Void> upload : inFlight) {
            try {
                upload.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("Interrupted while waiting for blocks of " + describe());
            } catch (ExecutionException e) {
                fail(e.getCause());
            }
        }
        inFlight.clear();
    }

    /** Fails early, on the writer's thread, if a background upload failed. */
    private void checkFailures() throws IOException {
        Iterator<CompletableFuture<Void>> uploads = inFlight.iterator();
        while (uploads.hasNext()) {
            CompletableFuture<Void> upload = uploads.next();
            if (!upload.isDone()) {
                continue;
            }
            if (upload.isCompletedExceptionally()) {
                try {
                    upload.get();
                } catch (InterruptedException | ExecutionException e) {
                    fail(e instanceof ExecutionException ? e.getCause() : e);
                }
            }
            uploads.remove();
        }
    }

    private void fail(Throwable cause) throws IOException {
        failure = cause instanceof IOException io ? io : new IOException("Staging a block of " + describe() + " failed", cause);
        throw failure;
    }

    private void checkOpen() throws IOException {
        if (closed) {
            throw new IOException("Part file " + describe() + " is already closed");
        }
        if (failure != null) {
            throw new IOException("Part file " + describe() + " failed before: " + failure.getMessage(), failure);
        }
    }

    /** The state so far, durable once {@code staged} completes. */
    private PendingRecoverable<AzureBlobRecoverable> recoverable(CompletableFuture<Void> staged) {
        AzureBlobRecoverable state = new AzureBlobRecoverable(container, blobName, hiddenName, blocks, position);
        return new PendingRecoverable<>(state.describe(), staged.thenApply(done -> state), null);
    }

    /** Completes when every upload started so far is done; fails with the first failure. */
    private CompletableFuture<Void> uploadsSoFar() throws IOException {
        checkFailures();
        return CompletableFuture.allOf(inFlight.toArray(new CompletableFuture<?>[0]));
    }

    private void release() {
        closed = true;
        stager.addBuffered(-buffer.size());
        buffer.clear();
        stager.unregister(this);
    }

    private String describe() {
        return "blob '" + blobName + "' in container '" + container + "'"
                + (hiddenName != null ? " (staged as '" + hiddenName + "')" : "");
    }
}
