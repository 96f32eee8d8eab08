package dev.filesink.azure;

import dev.filesink.storage.PartFileStorage;
import dev.filesink.storage.StorageSession;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.fs.Path;

import java.io.IOException;

/**
 * Part files in Azure Blob Storage, as block blobs staged block by block and committed with Put Block List.
 * Hand it to the sink with {@code withStorage(...)}, or build the sink with {@link AzureFileSink}, which also rolls
 * part files before the service's block limit.
 *
 * <pre>{@code
 * AzureBlobStorage storage = AzureBlobStorage.to(AzureBlobDestination.builder()
 *         .defaultAzureCredential()
 *         .build());
 * FileSink<String> sink = AzureFileSink.forRowFormat(
 *                 new Path("abfss://events@myaccount.dfs.core.windows.net/raw"), new SimpleStringEncoder<>(), storage)
 *         .build();
 * }</pre>
 */
public final class AzureBlobStorage implements PartFileStorage {

    private static final long serialVersionUID = 1L;

    private final AzureBlobDestination destination;
    /** Part files staged under hidden names, for a compacting sink (see {@link #forCompaction()}). */
    private final boolean hiddenInProgress;

    private AzureBlobStorage(AzureBlobDestination destination, boolean hiddenInProgress) {
        if (destination == null) {
            throw new IllegalArgumentException("Azure Blob destination must not be null");
        }
        this.destination = destination;
        this.hiddenInProgress = hiddenInProgress;
    }

    public static AzureBlobStorage to(AzureBlobDestination destination) {
        return new AzureBlobStorage(destination, false);
    }

    /** A storage from Flink configuration keys ({@code filesink.azure.*}, see {@link AzureBlobOptions}). */
    public static AzureBlobStorage fromConfiguration(Configuration configuration) {
        return new AzureBlobStorage(AzureBlobOptions.fromConfiguration(configuration), false);
    }

    public AzureBlobDestination destination() {
        return destination;
    }

    @Override
    public StorageSession open(Path basePath) throws IOException {
        return new AzureBlobStorageSession(destination, basePath, hiddenInProgress);
    }

    /**
     * The variant a compacting sink writes with: in-progress part files are staged under a hidden name next to their
     * final one, where a compaction can finish, read and copy them before they are committed (docs/compaction.md).
     */
    @Override
    public PartFileStorage forCompaction() {
        return hiddenInProgress ? this : new AzureBlobStorage(destination, true);
    }

    @Override
    public String toString() {
        return "AzureBlobStorage{" + destination + (hiddenInProgress ? ", hidden in-progress names" : "") + "}";
    }
}
