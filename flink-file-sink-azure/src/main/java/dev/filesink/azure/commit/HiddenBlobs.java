package dev.filesink.azure.commit;

import dev.filesink.azure.writer.BlockList;
import dev.filesink.azure.client.AzureBlobErrors;

import com.azure.core.util.Context;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.BlockListType;
import com.azure.storage.blob.options.BlockBlobCommitBlockListOptions;
import com.azure.storage.blob.specialized.BlockBlobClient;

import java.io.IOException;
import java.util.List;

/**
 * Removes a hidden in-progress blob, committed or not. Deleting a blob does not reliably drop blocks that are only
 * staged (the service keeps them until they expire; Azurite keeps them too): committing an empty block list drops
 * them and leaves an empty blob, which is then deleted. Gone already is fine.
 */
public final class HiddenBlobs {

    private HiddenBlobs() {}

    /** Deletes the hidden blob and its staged blocks; returns whether there was anything to remove. */
    public static boolean delete(BlobContainerClient container, String hiddenName, AzureBlobErrors errors)
            throws IOException {
        BlockBlobClient blob = container.getBlobClient(hiddenName).getBlockBlobClient();
        String action = "delete the hidden blob '" + hiddenName + "' in container '" + container.getBlobContainerName() + "'";
        try {
            com.azure.storage.blob.models.BlockList blocks;
            try {
                blocks = blob.listBlocks(BlockListType.ALL);
            } catch (BlobStorageException e) {
                if (e.getStatusCode() == 404) {
                    return false; // neither a blob nor staged blocks
                }
                throw e;
            }
            if (blocks.getCommittedBlocks().isEmpty() && !blocks.getUncommittedBlocks().isEmpty()) {
                try {
                    blob.commitBlockListWithResponse(new BlockBlobCommitBlockListOptions(List.of())
                            .setRequestConditions(new BlobRequestConditions().setIfNoneMatch("*")), null, Context.NONE);
                } catch (BlobStorageException e) {
                    if (e.getStatusCode() != 409 && e.getStatusCode() != 412) {
                        throw e;
                    }
                    // Committed meanwhile: deleted below all the same.
                }
            }
            deleteIfExists(blob);
            return true;
        } catch (BlobStorageException e) {
            if (e.getStatusCode() == 404) {
                return false;
            }
            throw errors.translate(action, e);
        } catch (RuntimeException e) {
            AzureBlobErrors.rethrowIfInterrupted(e);
            throw errors.translate(action, e);
        }
    }

    private static boolean deleteIfExists(BlockBlobClient blob) {
        try {
            blob.delete();
            return true;
        } catch (BlobStorageException e) {
            if (e.getStatusCode() == 404) {
                return false;
            }
            throw e;
        }
    }
}
