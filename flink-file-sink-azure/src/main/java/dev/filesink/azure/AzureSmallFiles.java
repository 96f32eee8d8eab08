package dev.filesink.azure;

import dev.filesink.azure.client.AzureBlobErrors;
import dev.filesink.azure.writer.AzureBlobRecoverableWriter;
import dev.filesink.storage.objectstore.ObjectsWrittenOnce;

import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.options.BlockBlobSimpleUploadOptions;
import com.azure.storage.blob.specialized.BlockBlobClient;

import org.apache.flink.core.fs.Path;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/**
 * Small blobs written once (success files, checkpoint manifests): one Put Blob with {@code If-None-Match: *}, so the
 * blob is stored whole or not at all, and an existing blob is answered with 409 {@code BlobAlreadyExists} (or 412)
 * instead of being replaced.
 *
 * <p>The token that recognizes a retried Put Blob of this very call: {@link ObjectsWrittenOnce}.
 */
final class AzureSmallFiles extends ObjectsWrittenOnce<AzureBlobLocation> {

    /** Blob metadata naming the call that wrote the blob (metadata names must be C# identifiers). */
    static final String TOKEN_METADATA = "filesink_token";

    /** Locates blobs, hands out their clients and translates their errors (secrets redacted). */
    private final AzureBlobRecoverableWriter writer;

    AzureSmallFiles(AzureBlobRecoverableWriter writer) {
        this.writer = writer;
    }

    @Override
    protected boolean putIfAbsent(AzureBlobLocation location, byte[] content, String token) throws IOException {
        try {
            blob(location).uploadWithResponse(new BlockBlobSimpleUploadOptions(BinaryData.fromBytes(content))
                            .setMetadata(Map.of(TOKEN_METADATA, token))
                            .setRequestConditions(new BlobRequestConditions().setIfNoneMatch("*")),
                    null, Context.NONE);
            return true;
        } catch (BlobStorageException e) {
            if (e.getStatusCode() == 409 || e.getStatusCode() == 412) {
                return false;
            }
            throw writer.errors().translate("create " + describe(location), e);
        } catch (RuntimeException e) {
            AzureBlobErrors.rethrowIfInterrupted(e);
            throw writer.errors().translate("create " + describe(location), e);
        }
    }

    @Override
    protected Optional<Map<String, String>> metadataOf(AzureBlobLocation location) throws IOException {
        try {
            Map<String, String> metadata = blob(location).getProperties().getMetadata();
            return Optional.of(metadata == null ? Map.of() : metadata);
        } catch (BlobStorageException e) {
            if (e.getStatusCode() == 404) {
                return Optional.empty();
            }
            throw writer.errors().translate("inspect the existing " + describe(location), e);
        } catch (RuntimeException e) {
            AzureBlobErrors.rethrowIfInterrupted(e);
            throw writer.errors().translate("inspect the existing " + describe(location), e);
        }
    }

    @Override
    protected String tokenMetadataKey() {
        return TOKEN_METADATA;
    }

    @Override
    public Optional<byte[]> read(Path path) throws IOException {
        AzureBlobLocation location = locate(path);
        try {
            return Optional.of(blob(location).downloadContent().toBytes());
        } catch (BlobStorageException e) {
            String code = e.getErrorCode() == null ? "" : e.getErrorCode().toString();
            if (e.getStatusCode() == 404 && !"ContainerNotFound".equals(code)) {
                return Optional.empty();
            }
            throw writer.errors().translate("read " + describe(location), e);
        } catch (RuntimeException e) {
            AzureBlobErrors.rethrowIfInterrupted(e);
            throw writer.errors().translate("read " + describe(location), e);
        }
    }

    @Override
    protected AzureBlobLocation locate(Path path) throws IOException {
        AzureBlobLocation location = writer.locate(path);
        if (location.blobName().isEmpty()) {
            throw new IOException("Azure path '" + path + "' names a container, not a blob");
        }
        return location;
    }

    private BlockBlobClient blob(AzureBlobLocation location) {
        return writer.container(location.container()).getBlobClient(location.blobName()).getBlockBlobClient();
    }

    @Override
    protected String describe(AzureBlobLocation location) {
        return "blob '" + location.blobName() + "' in container '" + location.container() + "' of account '"
                + location.account() + "'";
    }
}
