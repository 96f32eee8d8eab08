package dev.filesink.azure.writer;

import dev.filesink.storage.objectstore.PendingRecoverable;

import org.apache.flink.core.fs.RecoverableWriter;

import javax.annotation.Nullable;

import java.io.IOException;
import java.util.Objects;

/**
 * An in-progress or pending part file: its container and blob name, the ordered ids of the blocks staged for it,
 * and its length. Resuming continues after the last block; committing puts exactly this block list.
 *
 * <p>A part file written for a compacting sink stages its blocks under a hidden name next to its final one
 * ({@link #hiddenName()}, see {@code InProgressNames}), where it can be finished and read before its commit.
 *
 * <p>Right after a persist or a close, the last blocks may still be uploading: the writer then hands out a
 * {@link PendingRecoverable} of it, and {@link #resolve} waits for them. It is called before the recoverable is written
 * into a checkpoint and before it is committed, so no checkpoint and no commit ever refers to a block that is not
 * stored. (Waiting there instead of in every close lets the closes of many part files at a checkpoint overlap.)
 */
public final class AzureBlobRecoverable
        implements RecoverableWriter.ResumeRecoverable, RecoverableWriter.CommitRecoverable {

    private final String container;
    private final String blobName;
    @Nullable private final String hiddenName;
    private final BlockList blocks;
    private final long length;

    public AzureBlobRecoverable(String container, String blobName, BlockList blocks, long length) {
        this(container, blobName, null, blocks, length);
    }

    public AzureBlobRecoverable(
            String container, String blobName, @Nullable String hiddenName, BlockList blocks, long length) {
        this.container = container;
        this.blobName = blobName;
        this.hiddenName = hiddenName;
        this.blocks = blocks;
        this.length = length;
    }

    /** The durable state of any recoverable of the Azure Blob writer, waiting for its blocks if they still upload. */
    public static AzureBlobRecoverable resolve(Object recoverable) throws IOException {
        return PendingRecoverable.resolve(recoverable, AzureBlobRecoverable.class, "Azure Blob");
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
