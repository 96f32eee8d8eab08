package dev.filesink.azure.writer;

import org.apache.flink.core.fs.RecoverableWriter;

/**
 * An in-progress or pending part file: its container and blob name, the ordered ids of the blocks staged for it,
 * and its length. Resuming continues after the last block; committing puts exactly this block list.
 */
public record AzureBlobRecoverable(String container, String blobName, BlockList blocks, long length)
        implements RecoverableWriter.ResumeRecoverable, RecoverableWriter.CommitRecoverable {

    public String describe() {
        return "blob '" + blobName + "' in container '" + container + "' (" + blocks.size() + " blocks, " + length
                + " bytes)";
    }
}
