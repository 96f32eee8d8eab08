package dev.filesink.azure;

import dev.filesink.azure.client.AzureErrors;
import dev.filesink.azure.client.AzureStorageException;
import dev.filesink.azure.client.BlobClients;
import dev.filesink.azure.client.Redactor;
import dev.filesink.azure.path.AzureBlobLocation;
import dev.filesink.azure.writer.AzureBlobRecoverable;
import dev.filesink.azure.writer.AzureRecoverableWriter;
import dev.filesink.storage.CommitOutcome;
import dev.filesink.storage.OrphanFilter;
import dev.filesink.storage.StorageSession;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobServiceClient;

import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.RecoverableWriter;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

/** The sink's view of one base path in Blob Storage: writer, write check, commits. Clients are built on first use. */
final class AzureBlobStorageSession implements StorageSession {

    private static final Logger LOG = LoggerFactory.getLogger(AzureBlobStorageSession.class);

    private final AzureBlobDestination destination;
    private final AzureBlobLocation base;
    private final String endpoint;
    private final AzureErrors errors;
    private final AzureRecoverableWriter writer;
    private volatile BlobServiceClient service;

    AzureBlobStorageSession(AzureBlobDestination destination, Path basePath) throws IOException {
        this.destination = destination;
        try {
            this.base = AzureBlobLocation.of(basePath);
            BlobClients.accountOf(destination, base);
        } catch (IllegalArgumentException e) {
            throw new IOException("Invalid base path for the Azure Blob sink: " + e.getMessage(), e);
        }
        this.endpoint = BlobClients.endpointOf(destination, base);
        this.errors = new AzureErrors(new Redactor(destination.auth().secrets()));
        this.writer = new AzureRecoverableWriter(this::service, base, destination, errors);
    }

    private BlobServiceClient service() {
        BlobServiceClient current = service;
        if (current == null) {
            synchronized (this) {
                if (service == null) {
                    service = BlobClients.create(destination, base);
                }
                current = service;
            }
        }
        return current;
    }

    @Override
    public RecoverableWriter recoverableWriter() {
        return writer;
    }

    /**
     * Stages one small block on a probe blob below the base path: this needs the container to exist and the
     * credentials to be allowed to write, and leaves nothing visible (the block is never committed and expires).
     */
    @Override
    public void checkWritable() throws IOException {
        String probe = base.child("_filesink-write-check-" + UUID.randomUUID());
        String blockId = Base64.getEncoder().encodeToString("write-check".getBytes(StandardCharsets.US_ASCII));
        try {
            writer.container(base.container()).getBlobClient(probe).getBlockBlobClient()
                    .stageBlock(blockId, BinaryData.fromBytes(new byte[] {1}));
        } catch (RuntimeException e) {
            AzureStorageException error = errors.translate("write to " + base.describe() + " at " + endpoint
                    + " (authenticating with " + destination.auth().mode() + ")", e);
            throw new AzureStorageException("The Azure Blob sink cannot write its base path: " + error.getMessage(),
                    error.statusCode(), error.errorCode(), error.getCause());
        }
    }

    @Override
    public CommitOutcome commit(Path target, RecoverableWriter.CommitRecoverable pendingFile, long expectedSize)
            throws IOException {
        if (!(pendingFile instanceof AzureBlobRecoverable file)) {
            throw new IOException("Cannot commit '" + target + "': not an Azure blob recoverable (" + pendingFile + ")");
        }
        AzureBlobLocation location = writer.locate(target);
        if (!location.container().equals(file.container()) || !location.blobName().equals(file.blobName())) {
            throw new IOException("Cannot commit '" + target + "': the pending file was written as " + file.describe());
        }
        return writer.commit(file, expectedSize);
    }

    /**
     * Nothing to delete: a failed attempt's part files are uncommitted blocks, invisible to readers, which the
     * service discards 7 days after their blob was last written (or as soon as a block list is committed for it).
     */
    @Override
    public int discardOrphans(OrphanFilter filter) {
        LOG.debug("Uncommitted blocks below {} expire on their own; nothing to discard", base.describe());
        return 0;
    }

    @Override
    public void close() {
        writer.close();
    }
}
