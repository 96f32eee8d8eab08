package dev.filesink.azure.commit;

import dev.filesink.azure.writer.AzureBlobRecoverable;
import dev.filesink.azure.client.AzureBlobErrors;
import dev.filesink.storage.CommitConflictException;
import dev.filesink.storage.CommitOutcome;

import com.azure.core.util.Context;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.Block;
import com.azure.storage.blob.models.BlockListType;
import com.azure.storage.blob.options.BlockBlobCommitBlockListOptions;
import com.azure.storage.blob.specialized.BlockBlobClient;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.List;

/**
 * Commits a part file: Put Block List with {@code If-None-Match: *}, so that an existing blob is never overwritten.
 * When the blob already exists, it is this very part file if its committed block ids and length are the ones being
 * committed (a commit replayed after a restore); otherwise it is someone else's and left alone.
 *
 * <p>A part file staged under a hidden name is put there ({@link #putBlockList}); {@link HiddenFileCommitter} then
 * copies it to its final name, where the copy carries the same committed block ids.
 */
public final class AzureBlobCommitter {

    private final AzureBlobErrors errors;

    public AzureBlobCommitter(AzureBlobErrors errors) {
        this.errors = errors;
    }

    public CommitOutcome commit(BlobContainerClient container, AzureBlobRecoverable file, long expectedSize) throws IOException {
        return putBlockList(container, file.blobName(), file, expectedSize);
    }

    /** Put Block List of the file's blocks at {@code blobName} (where they are staged), never over another blob. */
    public CommitOutcome putBlockList(BlobContainerClient container, String blobName, AzureBlobRecoverable file,
            long expectedSize) throws IOException {
        BlockBlobClient blob = container.getBlobClient(blobName).getBlockBlobClient();
        List<String> ids = file.blocks().ids();
        try {
            blob.commitBlockListWithResponse(
                    new BlockBlobCommitBlockListOptions(ids)
                            .setRequestConditions(new BlobRequestConditions().setIfNoneMatch("*")),
                    null,
                    Context.NONE);
            return CommitOutcome.COMMITTED;
        } catch (BlobStorageException e) {
            String code = e.getErrorCode() == null ? "" : e.getErrorCode().toString();
            if (e.getStatusCode() == 409 || e.getStatusCode() == 412) {
                return recognizeEarlierCommit(blob, file, ids, expectedSize);
            }
            if ("InvalidBlockList".equals(code)) {
                // Blocks are gone: dropped when this file was committed before, or expired, or deleted.
                if (exists(blob, file)) {
                    return recognizeEarlierCommit(blob, file, ids, expectedSize);
                }
                throw new FileNotFoundException("Cannot commit " + file.describe() + ": its staged blocks are gone "
                        + "(uncommitted blocks expire 7 days after the blob was last written, or were deleted)");
            }
            if ("ContainerNotFound".equals(code)) {
                throw new FileNotFoundException("Cannot commit " + file.describe() + ": the container no longer exists");
            }
            throw errors.translate("commit " + file.describe(), e);
        } catch (RuntimeException e) {
            AzureBlobErrors.rethrowIfInterrupted(e);
            throw errors.translate("commit " + file.describe(), e);
        }
    }

    /** The blob exists: it is this file committed before, or a conflict. */
    public CommitOutcome recognizeEarlierCommit(
            BlockBlobClient blob, AzureBlobRecoverable file, List<String> ids, long expectedSize) throws IOException {
        long size;
        List<String> committed;
        try {
            size = blob.getProperties().getBlobSize();
            committed = blob.listBlocks(BlockListType.COMMITTED).getCommittedBlocks().stream().map(Block::getName).toList();
        } catch (RuntimeException e) {
            AzureBlobErrors.rethrowIfInterrupted(e);
            throw errors.translate("inspect the existing blob '" + blob.getBlobName() + "' in container '"
                    + file.container() + "'", e);
        }
        if (size == expectedSize && committed.equals(ids)) {
            return CommitOutcome.ALREADY_COMMITTED;
        }
        throw new CommitConflictException("Cannot commit " + file.describe() + ": a blob this commit did not write "
                + "already exists at '" + blob.getBlobName() + "' (" + size + " bytes, " + committed.size() + " blocks); it is left unchanged");
    }

    private boolean exists(BlockBlobClient blob, AzureBlobRecoverable file) throws IOException {
        try {
            return blob.exists();
        } catch (RuntimeException e) {
            AzureBlobErrors.rethrowIfInterrupted(e);
            throw errors.translate("check whether " + file.describe() + " exists", e);
        }
    }
}
