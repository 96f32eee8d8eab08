package dev.filesink.azure.commit;

import dev.filesink.azure.writer.AzureBlobRecoverable;
import dev.filesink.azure.client.AzureBlobErrors;
import dev.filesink.storage.CommitConflictException;
import dev.filesink.storage.CommitOutcome;

import com.azure.core.util.polling.LongRunningOperationStatus;
import com.azure.core.util.polling.PollResponse;
import com.azure.core.util.polling.SyncPoller;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobCopyInfo;
import com.azure.storage.blob.models.BlobProperties;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.CopyStatusType;
import com.azure.storage.blob.options.BlobBeginCopyOptions;
import com.azure.storage.blob.specialized.BlockBlobClient;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * Commits a part file staged under a hidden name: Put Block List at the hidden name, a server-side Copy Blob to the
 * final name with {@code If-None-Match: *}, then deletes the hidden blob. Copy Blob keeps the committed block ids, so
 * the final blob is recognized as this very file by its ids (which carry a random incarnation) and length, as a plain
 * commit recognizes itself. Each step can be replayed: finished at the hidden name, copied, hidden blob deleted.
 */
public final class HiddenFileCommitter {

    private static final Duration COPY_POLL_INTERVAL = Duration.ofMillis(100);

    private final AzureBlobCommitter committer;
    private final CopySources copySources;
    private final AzureBlobErrors errors;
    private final Duration copyTimeout;

    public HiddenFileCommitter(AzureBlobCommitter committer, CopySources copySources, AzureBlobErrors errors, Duration copyTimeout) {
        this.committer = committer;
        this.copySources = copySources;
        this.errors = errors;
        this.copyTimeout = copyTimeout;
    }

    public CommitOutcome commit(BlobContainerClient container, AzureBlobRecoverable file, long expectedSize) throws IOException {
        BlockBlobClient target = container.getBlobClient(file.blobName()).getBlockBlobClient();
        List<String> ids = file.blocks().ids();
        if (exists(target, file)) {
            // Copied by an earlier attempt (then only the hidden blob may remain), or someone else's: a conflict.
            recognizeCopy(target, file, ids, expectedSize);
            HiddenBlobs.delete(container, file.hiddenName(), errors);
            return CommitOutcome.ALREADY_COMMITTED;
        }
        finishAtHiddenName(container, file, expectedSize);
        CommitOutcome outcome = copyToFinalName(container, file, target, ids, expectedSize);
        HiddenBlobs.delete(container, file.hiddenName(), errors);
        return outcome;
    }

    /** Put Block List at the hidden name; a replay finds it there already, with these very blocks. */
    public void finishAtHiddenName(BlobContainerClient container, AzureBlobRecoverable file, long expectedSize)
            throws IOException {
        committer.putBlockList(container, file.hiddenName(), file, expectedSize);
    }

    private CommitOutcome copyToFinalName(BlobContainerClient container, AzureBlobRecoverable file,
            BlockBlobClient target, List<String> ids, long expectedSize) throws IOException {
        BlobClient hidden = container.getBlobClient(file.hiddenName());
        BlobClient finalBlob = container.getBlobClient(file.blobName());
        String action = "copy " + file.describe() + " from its hidden name to its final name";
        try {
            SyncPoller<BlobCopyInfo, Void> copy = finalBlob.beginCopy(new BlobBeginCopyOptions(copySources.forCopyBlob(hidden))
                    .setDestinationRequestConditions(new BlobRequestConditions().setIfNoneMatch("*"))
                    .setPollInterval(COPY_POLL_INTERVAL));
            PollResponse<BlobCopyInfo> done = copy.waitForCompletion(copyTimeout);
            if (done.getStatus() != LongRunningOperationStatus.SUCCESSFULLY_COMPLETED
                    || done.getValue().getCopyStatus() != CopyStatusType.SUCCESS) {
                throw new IOException("Cannot " + action + ": the copy ended as " + done.getStatus() + " / "
                        + (done.getValue() == null ? "unknown" : done.getValue().getCopyStatus()));
            }
            return CommitOutcome.COMMITTED;
        } catch (BlobStorageException e) {
            if (e.getStatusCode() == 409 || e.getStatusCode() == 412) {
                return recognizeCopy(target, file, ids, expectedSize);
            }
            throw errors.translate(action, e);
        } catch (RuntimeException e) {
            AzureBlobErrors.rethrowIfInterrupted(e);
            throw errors.translate(action, e);
        }
    }

    /**
     * The final blob is this file copied before if it has its committed block ids and length (Copy Blob keeps the
     * ids; Azurite does too), or, should a service not keep them, if it is the completed copy of this file's hidden
     * blob (whose name carries a random UUID) with its length. Anything else is a conflict.
     */
    private CommitOutcome recognizeCopy(BlockBlobClient target, AzureBlobRecoverable file, List<String> ids,
            long expectedSize) throws IOException {
        try {
            return committer.recognizeEarlierCommit(target, file, ids, expectedSize);
        } catch (CommitConflictException conflict) {
            BlobProperties properties;
            try {
                properties = target.getProperties();
            } catch (RuntimeException e) {
                AzureBlobErrors.rethrowIfInterrupted(e);
                throw errors.translate("inspect the existing blob '" + file.blobName() + "'", e);
            }
            String sourcePath = decodedPath(properties.getCopySource());
            if (properties.getCopyStatus() == CopyStatusType.SUCCESS && properties.getBlobSize() == expectedSize
                    && sourcePath.endsWith("/" + file.container() + "/" + file.hiddenName())) {
                return CommitOutcome.ALREADY_COMMITTED;
            }
            throw conflict;
        }
    }

    /** The decoded path of a copy source URL (the SDK encodes the slashes of blob names), without its query. */
    private static String decodedPath(String url) {
        if (url == null) {
            return "";
        }
        try {
            String path = java.net.URI.create(url).getPath();
            return path == null ? "" : path;
        } catch (IllegalArgumentException unparsable) {
            return "";
        }
    }

    private boolean exists(BlockBlobClient blob, AzureBlobRecoverable file) throws IOException {
        try {
            return blob.exists();
        } catch (RuntimeException e) {
            AzureBlobErrors.rethrowIfInterrupted(e);
            throw errors.translate("check whether " + file.describe() + " exists at its final name", e);
        }
    }
}
