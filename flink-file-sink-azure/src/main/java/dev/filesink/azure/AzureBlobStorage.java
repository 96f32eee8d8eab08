package dev.filesink.azure;

import dev.filesink.azure.config.AzureBlobOptions;
import dev.filesink.storage.StorageSession;
import dev.filesink.storage.objectstore.ObjectStoreStorage;

import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.core.fs.Path;

import java.io.IOException;

/**
 * Part files in Azure Blob Storage, as block blobs staged block by block and committed with Put Block List.
 * Hand it to the sink with {@code withStorage(...)}; part files roll before the service's block limit whatever the
 * rolling policy (the blob's stream asks the sink for it through the core's roll hooks).
 *
 * <pre>{@code
 * FileSink<String> sink = FileSink.forRowFormat(
 *                 new Path("abfss://events@myaccount.dfs.core.windows.net/raw"), new SimpleStringEncoder<String>())
 *         .withStorage(AzureBlobStorage.of(AzureBlobDestination.builder().defaultAzureCredential().build()))
 *         .build();
 * }</pre>
 */
public final class AzureBlobStorage extends ObjectStoreStorage<AzureBlobDestination> {

    private static final long serialVersionUID = 2L;

    private AzureBlobStorage(AzureBlobDestination destination, boolean hiddenNames) {
        super(destination, hiddenNames, "Azure Blob");
    }

    public static AzureBlobStorage of(AzureBlobDestination destination) {
        return new AzureBlobStorage(destination, false);
    }

    /** From the {@code filesink.azure.*} options of a Flink configuration; see {@link AzureBlobOptions}. */
    public static AzureBlobStorage fromConfiguration(ReadableConfig config) {
        return of(AzureBlobDestination.fromConfiguration(config));
    }

    @Override
    public StorageSession open(Path basePath) throws IOException {
        return new AzureBlobStorageSession(destination(), basePath, hiddenNames());
    }

    /**
     * The variant a compacting sink writes with: in-progress part files are staged under a hidden name next to their
     * final one, where a compaction can finish, read and copy them before they are committed (docs/compaction.md).
     */
    @Override
    protected AzureBlobStorage withHiddenNames() {
        return new AzureBlobStorage(destination(), true);
    }
}
