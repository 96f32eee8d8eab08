package dev.filesink.azure;

import dev.filesink.azure.compaction.DownloadedCompactionSource;
import dev.filesink.azure.client.AzureBlobErrors;
import dev.filesink.azure.client.AzureStorageException;
import dev.filesink.azure.client.AzureBlobClientFactory;
import dev.filesink.azure.client.Redactor;
import dev.filesink.azure.writer.AzureBlobRecoverable;
import dev.filesink.azure.writer.AzureBlobRecoverableWriter;
import dev.filesink.storage.CommitOutcome;
import dev.filesink.storage.OrphanFilter;
import dev.filesink.storage.StorageSession;

import dev.filesink.azure.compaction.AzureBlobConcatenation;
import dev.filesink.azure.commit.HiddenBlobs;
import dev.filesink.storage.CompactionSource;
import dev.filesink.storage.InProgressNames;
import dev.filesink.storage.ServerSideConcatenation;
import dev.filesink.storage.objectstore.ObjectsWrittenOnce;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobListDetails;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.blob.BlobServiceClient;

import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.RecoverableWriter;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** The sink's view of one base path in Blob Storage: writer, write check, commits. Clients are built on first use. */
final class AzureBlobStorageSession implements StorageSession {

    private static final Logger LOG = LoggerFactory.getLogger(AzureBlobStorageSession.class);

    private final AzureBlobDestination destination;
    private final AzureBlobLocation base;
    private final String endpoint;
    private final AzureBlobErrors errors;
    private final AzureBlobRecoverableWriter writer;
    private final AzureBlobConcatenation concatenation;
    private volatile BlobServiceClient service;

    AzureBlobStorageSession(AzureBlobDestination destination, Path basePath, boolean hiddenInProgress)
            throws IOException {
        this.destination = destination;
        try {
            this.base = AzureBlobLocation.of(basePath);
            AzureBlobClientFactory.accountOf(destination, base);
        } catch (IllegalArgumentException e) {
            throw new IOException("Invalid base path for the Azure Blob sink: " + e.getMessage(), e);
        }
        this.endpoint = AzureBlobClientFactory.endpointOf(destination, base);
        this.errors = new AzureBlobErrors(new Redactor(destination.credentials().secrets()));
        this.writer = new AzureBlobRecoverableWriter(this::service, base, destination, errors, hiddenInProgress);
        this.concatenation = new AzureBlobConcatenation(writer);
    }

    private BlobServiceClient service() {
        BlobServiceClient current = service;
        if (current == null) {
            synchronized (this) {
                if (service == null) {
                    service = AzureBlobClientFactory.create(destination, base);
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
                    + " (authenticating with " + destination.credentials().mode() + ")", e);
            throw new AzureStorageException("The Azure Blob sink cannot write its base path: " + error.getMessage(),
                    error.statusCode(), error.errorCode(), error.getCause());
        }
    }

    @Override
    public CommitOutcome commit(Path target, RecoverableWriter.CommitRecoverable pendingFile, long expectedSize)
            throws IOException {
        return writer.commitAt(target, AzureBlobRecoverable.resolve(pendingFile), expectedSize);
    }

    /**
     * Discards the hidden in-progress blobs (committed or staged only) below the base path whose final name the filter
     * accepts. Part files staged under their final name need nothing: their uncommitted blocks are invisible to
     * readers, and the service discards them 7 days after their blob was last written.
     */
    @Override
    public int discardOrphans(OrphanFilter filter) throws IOException {
        String prefix = base.blobName().isEmpty() ? "" : base.blobName() + "/";
        int discarded = 0;
        for (String name : hiddenBlobNames(base.container(), prefix, true)) {
            String finalName = InProgressNames.finalNameOf(name.substring(name.lastIndexOf('/') + 1));
            if (filter.isOrphan(finalName) && HiddenBlobs.delete(writer.container(base.container()), name, errors)) {
                LOG.info("Discarded the orphaned in-progress blob '{}' in container '{}'", name, base.container());
                discarded++;
            }
        }
        return discarded;
    }

    @Override
    public ObjectsWrittenOnce<?> objectsWrittenOnce() {
        return new AzureSmallFiles(writer);
    }

    // ---- Compaction (docs/compaction.md, "On Azure Blob Storage") ---------------------------------------------

    /**
     * Finishes the pending file at its hidden name (Put Block List; idempotent) and downloads it to a local file,
     * deleted on close. A file staged under its final name (written before compaction was switched on) cannot be
     * read before its commit: empty, so it is committed as it is.
     */
    @Override
    public Optional<CompactionSource> compactionSource(RecoverableWriter.CommitRecoverable pendingFile, long size)
            throws IOException {
        AzureBlobRecoverable file = AzureBlobRecoverable.resolve(pendingFile);
        if (file.hiddenName() == null || file.length() > size) {
            return Optional.empty();
        }
        if (file.length() < size) {
            throw new IOException("Pending part file " + file.describe() + " to compact has fewer than the " + size
                    + " bytes it was closed with");
        }
        writer.finishAtHiddenName(file);
        return Optional.of(DownloadedCompactionSource.download(
                writer.container(file.container()).getBlobClient(file.hiddenName()), file, errors));
    }

    @Override
    public boolean supportsCompaction() {
        return true;
    }

    @Override
    public Optional<ServerSideConcatenation> serverSideConcatenation() {
        return Optional.of(concatenation);
    }

    /** Deletes the input's hidden blob (committed by a compaction, or staged only); gone already is fine. */
    @Override
    public void discardCompactedInput(RecoverableWriter.CommitRecoverable pendingFile) throws IOException {
        AzureBlobRecoverable file = AzureBlobRecoverable.resolve(pendingFile);
        if (file.hiddenName() == null) {
            throw new IOException("Cannot discard " + file.describe() + " as a compacted input: it has no hidden name, "
                    + "so no compaction can have read it");
        }
        HiddenBlobs.delete(writer.container(file.container()), file.hiddenName(), errors);
    }

    /** Discards the hidden blobs directly in {@code directory} made for one of {@code finalNames}. */
    @Override
    public int discardInProgress(Path directory, Set<String> finalNames) throws IOException {
        AzureBlobLocation location = writer.locate(directory);
        String prefix = location.blobName().isEmpty() ? "" : location.blobName() + "/";
        int discarded = 0;
        for (String name : hiddenBlobNames(location.container(), prefix, false)) {
            if (finalNames.contains(InProgressNames.finalNameOf(name.substring(prefix.length())))
                    && HiddenBlobs.delete(writer.container(location.container()), name, errors)) {
                LOG.info("Discarded '{}' in container '{}', left half built by a failed compaction", name,
                        location.container());
                discarded++;
            }
        }
        return discarded;
    }

    /** Hidden in-progress blobs below {@code prefix} (directly in it unless {@code deep}), staged only or committed. */
    private List<String> hiddenBlobNames(String container, String prefix, boolean deep) throws IOException {
        List<String> names = new ArrayList<>();
        try {
            for (BlobItem item : writer.container(container).listBlobs(new ListBlobsOptions().setPrefix(prefix)
                    .setDetails(new BlobListDetails().setRetrieveUncommittedBlobs(true)), null)) {
                String name = item.getName();
                String rest = name.substring(prefix.length());
                if (!deep && rest.contains("/")) {
                    continue;
                }
                if (InProgressNames.finalNameOf(rest.substring(rest.lastIndexOf('/') + 1)) != null) {
                    names.add(name);
                }
            }
        } catch (BlobStorageException e) {
            if (e.getStatusCode() == 404) {
                return names;
            }
            throw errors.translate("list the in-progress blobs below '" + prefix + "' in container '"
                    + container + "'", e);
        } catch (RuntimeException e) {
            AzureBlobErrors.rethrowIfInterrupted(e);
            throw errors.translate("list the in-progress blobs below '" + prefix + "' in container '" + container + "'",
                    e);
        }
        return names;
    }

    @Override
    public void close() {
        writer.close();
    }
}
