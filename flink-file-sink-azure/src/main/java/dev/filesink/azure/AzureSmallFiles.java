package dev.filesink.azure;

import dev.filesink.azure.client.AzureBlobErrors;
import dev.filesink.azure.AzureBlobLocation;
import dev.filesink.azure.writer.AzureBlobRecoverableWriter;

import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.options.BlockBlobSimpleUploadOptions;
import com.azure.storage.blob.specialized.BlockBlobClient;

import org.apache.flink.core.fs.Path;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Small blobs written once (success files, checkpoint manifests): one Put Blob with {@code If-None-Match: *}, so the
 * blob is stored whole or not at all, and an existing blob is answered with 409 {@code BlobAlreadyExists} (or 412)
 * instead of being replaced.
 *
 * <p>The SDK retries a Put Blob whose answer was lost; if the first attempt was stored, the retry is refused although
 * this call created the blob. Each call therefore puts a random token into the blob's metadata, and a refusal is this
 * call's creation exactly if the blob there carries its token. (Equal content would not do: a second caller writing
 * the same bytes must still hear false.)
 */
final class AzureSmallFiles {

    private static final Logger LOG = LoggerFactory.getLogger(AzureSmallFiles.class);

    /** Blob metadata naming the call that wrote the blob (metadata names must be C# identifiers). */
    static final String TOKEN_METADATA = "filesink_token";

    private final AzureBlobRecoverableWriter writer;
    private final AzureBlobErrors errors;

    AzureSmallFiles(AzureBlobRecoverableWriter writer, AzureBlobErrors errors) {
        this.writer = writer;
        this.errors = errors;
    }

    boolean createOnce(Path path, byte[] content) throws IOException {
        AzureBlobLocation location = locate(path);
        String token = UUID.randomUUID().toString();
        BlockBlobClient blob = blob(location);
        try {
            blob.uploadWithResponse(new BlockBlobSimpleUploadOptions(BinaryData.fromBytes(content))
                            .setMetadata(Map.of(TOKEN_METADATA, token))
                            .setRequestConditions(new BlobRequestConditions().setIfNoneMatch("*")),
                    null, Context.NONE);
            return true;
        } catch (BlobStorageException e) {
            if (e.getStatusCode() == 409 || e.getStatusCode() == 412) {
                return createdByThisCall(blob, location, token, e);
            }
            throw errors.translate("create " + describe(location), e);
        } catch (RuntimeException e) {
            AzureBlobErrors.rethrowIfInterrupted(e);
            throw errors.translate("create " + describe(location), e);
        }
    }

    /** After a refusal: true only if the blob there is the one a retried attempt of this call stored. */
    private boolean createdByThisCall(BlockBlobClient blob, AzureBlobLocation location, String token,
            BlobStorageException refusal) throws IOException {
        Map<String, String> metadata;
        try {
            metadata = blob.getProperties().getMetadata();
        } catch (BlobStorageException e) {
            if (e.getStatusCode() == 404) {
                throw errors.translate("create " + describe(location) + " (refused because a blob exists there, but "
                        + "none is there now; deleted meanwhile?)", refusal);
            }
            throw errors.translate("inspect the existing " + describe(location), e);
        } catch (RuntimeException e) {
            AzureBlobErrors.rethrowIfInterrupted(e);
            throw errors.translate("inspect the existing " + describe(location), e);
        }
        if (metadata != null && token.equals(metadata.get(TOKEN_METADATA))) {
            LOG.debug("{} was stored by an earlier attempt of this write (its answer was lost)", describe(location));
            return true;
        }
        return false;
    }

    Optional<byte[]> read(Path path) throws IOException {
        AzureBlobLocation location = locate(path);
        try {
            return Optional.of(blob(location).downloadContent().toBytes());
        } catch (BlobStorageException e) {
            String code = e.getErrorCode() == null ? "" : e.getErrorCode().toString();
            if (e.getStatusCode() == 404 && !"ContainerNotFound".equals(code)) {
                return Optional.empty();
            }
            throw errors.translate("read " + describe(location), e);
        } catch (RuntimeException e) {
            AzureBlobErrors.rethrowIfInterrupted(e);
            throw errors.translate("read " + describe(location), e);
        }
    }

    private AzureBlobLocation locate(Path path) throws IOException {
        AzureBlobLocation location = writer.locate(path);
        if (location.blobName().isEmpty()) {
            throw new IOException("Azure path '" + path + "' names a container, not a blob");
        }
        return location;
    }

    private BlockBlobClient blob(AzureBlobLocation location) {
        return writer.container(location.container()).getBlobClient(location.blobName()).getBlockBlobClient();
    }

    private static String describe(AzureBlobLocation location) {
        return "blob '" + location.blobName() + "' in container '" + location.container() + "' of account '"
                + location.account() + "'";
    }
}
