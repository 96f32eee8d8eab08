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

import dev.filesink.azure.writer.AzureServerSideConcatenation;
import dev.filesink.azure.writer.HiddenBlobs;
import dev.filesink.storage.CompactionSource;
import dev.filesink.storage.InProgressNames;
import dev.filesink.storage.ServerSideConcatenation;

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
    private final AzureErrors errors;
    private final AzureRecoverableWriter writer;
    private final AzureServerSideConcatenation concatenation;
    private volatile BlobServiceClient service;

    AzureBlobStorageSession(AzureBlobDestination destination, Path basePath, boolean hiddenInProgress)
            throws IOException {
        this.destination = destination;
        try {
            this.base = AzureBlobLocation.of(basePath);
            BlobClients.accountOf(destination, base);
        } catch (IllegalArgumentException e) {
            throw new IOException("Invalid base path for the Azure Blob sink: " + e.getMessage(), e);
        }
        this.endpoint = BlobClients.endpointOf(destination, base);
        this.errors = new AzureErrors(new Redactor(destination.auth().secrets()));
        this.writer = new AzureRecoverableWriter(this::service, base, destination, errors, hiddenInProgress);
        this.concatenation = new AzureServerSideConcatenation(writer);
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
    public boolean createFileOnce(Path path, byte[] content) throws IOException {
        return new AzureSmallFiles(writer, errors).createOnce(path, content);
    }

    @Override
    public Optional<byte[]> readFile(Path path) throws IOException {
        return new AzureSmallFiles(writer, errors).read(path);
    }

    // ---- Compaction (docs/compaction.md, "On Azure Blob Storage") ---------------------------------------------

    @Override
    public boolean supportsCompaction() {
        return true;
    }

    /**
     * Finishes the pending file at its hidden name (Put Block List; idempotent) and downloads it to a local file,
     * deleted on close. A file staged under its final name (written before compaction was switched on) cannot be
     * read before its commit: empty, so it is committed as it is.
     */
    @Override
    public Optional<CompactionSource> compactionSource(RecoverableWriter.CommitRecoverable pendingFile, long size)
            throws IOException {
        AzureBlobRecoverable file = cast(pendingFile, "compact");
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
    public Optional<ServerSideConcatenation> serverSideConcatenation() {
        return Optional.of(concatenation);
    }

    /** Deletes the input's hidden blob (committed by a compaction, or staged only); gone already is fine. */
    @Override
    public void discardCompactedInput(RecoverableWriter.CommitRecoverable pendingFile) throws IOException {
        AzureBlobRecoverable file = cast(pendingFile, "discard the compacted input");
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
            AzureErrors.rethrowIfInterrupted(e);
            throw errors.translate("list the in-progress blobs below '" + prefix + "' in container '" + container + "'",
                    e);
        }
        return names;
    }

    private static AzureBlobRecoverable cast(RecoverableWriter.CommitRecoverable pendingFile, String action)
            throws IOException {
        if (pendingFile instanceof AzureBlobRecoverable file) {
            return file;
        }
        throw new IOException("Cannot " + action + " " + pendingFile + ": not an Azure blob recoverable");
    }

    @Override
    public void close() {
        writer.close();
    }
}
