package dev.filesink.azure.writer;

import org.apache.flink.core.fs.RecoverableWriter;

import javax.annotation.Nullable;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * An in-progress or pending part file: its container and blob name, the ordered ids of the blocks staged for it,
 * and its length. Resuming continues after the last block; committing puts exactly this block list.
 *
 * <p>A part file written for a compacting sink stages its blocks under a hidden name next to its final one
 * ({@link #hiddenName()}, see {@code InProgressNames}), where it can be finished and read before its commit.
 *
 * <p>Right after a persist or a close, the last blocks may still be uploading: {@link #awaitStaged()} waits for them.
 * It is called before the recoverable is written into a checkpoint and before it is committed, so no checkpoint and
 * no commit ever refers to a block that is not stored. (Waiting there instead of in every close lets the closes of
 * many part files at a checkpoint overlap.) A deserialized recoverable is always complete.
 */
public final class AzureBlobRecoverable
        implements RecoverableWriter.ResumeRecoverable, RecoverableWriter.CommitRecoverable {

    private final String container;
    private final String blobName;
    @Nullable private final String hiddenName;
    private final BlockList blocks;
    private final long length;
    private final transient CompletableFuture<Void> staged;

    public AzureBlobRecoverable(String container, String blobName, BlockList blocks, long length) {
        this(container, blobName, null, blocks, length, null);
    }

    public AzureBlobRecoverable(
            String container, String blobName, @Nullable String hiddenName, BlockList blocks, long length) {
        this(container, blobName, hiddenName, blocks, length, null);
    }

    AzureBlobRecoverable(String container, String blobName, @Nullable String hiddenName, BlockList blocks, long length,
            CompletableFuture<Void> staged) {
        this.container = container;
        this.blobName = blobName;
        this.hiddenName = hiddenName;
        this.blocks = blocks;
        this.length = length;
        this.staged = staged;
    }

    public String container() {
        return container;
    }

    public String blobName() {
        return blobName;
    }

    /** The hidden blob name the blocks are staged under, or null if they are staged under the final name. */
    @Nullable
    public String hiddenName() {
        return hiddenName;
    }

    /** Where the blocks are staged: the hidden name if there is one, else the final name. */
    public String stagedBlobName() {
        return hiddenName != null ? hiddenName : blobName;
    }

    public BlockList blocks() {
        return blocks;
    }

    public long length() {
        return length;
    }

    /** Waits until every block of this part file is stored; fails if one of them could not be staged. */
    public void awaitStaged() throws IOException {
        if (staged == null) {
            return;
        }
        try {
            staged.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("Interrupted while waiting for the blocks of " + describe());
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw new IOException("Blocks of " + describe() + " could not be staged: " + cause.getMessage(), cause);
        }
    }

    public String describe() {
        return "blob '" + blobName + "' in container '" + container + "' ("
                + (hiddenName != null ? "staged as '" + hiddenName + "', " : "") + blocks.size() + " blocks, " + length
                + " bytes)";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof AzureBlobRecoverable that
                && that.container.equals(container)
                && that.blobName.equals(blobName)
                && Objects.equals(that.hiddenName, hiddenName)
                && that.blocks.equals(blocks)
                && that.length == length;
    }

    @Override
    public int hashCode() {
        return Objects.hash(container, blobName, hiddenName, blocks, length);
    }

    @Override
    public String toString() {
        return "AzureBlobRecoverable{" + describe() + "}";
    }
}
