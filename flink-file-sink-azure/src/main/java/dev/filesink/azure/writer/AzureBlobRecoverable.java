package dev.filesink.azure.writer;

import dev.filesink.storage.objectstore.PendingRecoverable;

import org.apache.flink.core.fs.RecoverableWriter;

import javax.annotation.Nullable;

import java.io.IOException;

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
public record AzureBlobRecoverable(
        String container,
        String blobName,
        /* The hidden blob name the blocks are staged under, or null if they are staged under the final name. */
        @Nullable String hiddenName,
        BlockList blocks,
        long length)
        implements RecoverableWriter.ResumeRecoverable, RecoverableWriter.CommitRecoverable {

    public AzureBlobRecoverable(String container, String blobName, BlockList blocks, long length) {
        this(container, blobName, null, blocks, length);
    }

    /** The durable state of any recoverable of the Azure Blob writer, waiting for its blocks if they still upload. */
    public static AzureBlobRecoverable resolve(Object recoverable) throws IOException {
        return PendingRecoverable.resolve(recoverable, AzureBlobRecoverable.class, "Azure Blob");
    }

    /** Where the blocks are staged: the hidden name if there is one, else the final name. */
    public String stagedBlobName() {
        return hiddenName != null ? hiddenName : blobName;
    }

    public String describe() {
        return "blob '" + blobName + "' in container '" + container + "' ("
                + (hiddenName != null ? "staged as '" + hiddenName + "', " : "") + blocks.size() + " blocks, " + length
                + " bytes)";
    }

    @Override
    public String toString() {
        return "AzureBlobRecoverable{" + describe() + "}";
    }
}
