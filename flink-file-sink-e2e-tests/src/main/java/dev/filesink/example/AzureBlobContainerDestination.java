package dev.filesink.example;

import dev.filesink.azure.config.AzureBlobOptions;
import dev.filesink.azure.AzureBlobStorage;
import dev.filesink.azure.AzureBlobLocation;
import dev.filesink.storage.PartFileStorage;

import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.core.fs.Path;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An Azure Blob Storage container and prefix: {@code abfss://container@account.dfs.core.windows.net/prefix},
 * {@code wasbs://...}, {@code https://account.blob.core.windows.net/container/prefix} or the path-style URL of an
 * emulator ({@code http://127.0.0.1:10000/devstoreaccount1/container/prefix}).
 */
final class AzureBlobContainerDestination implements Destination {

    private final Path basePath;
    private final AzureBlobLocation location;
    private final AzureBlobStorage storage;

    private AzureBlobContainerDestination(Path basePath, AzureBlobStorage storage) {
        this.basePath = basePath;
        this.location = AzureBlobLocation.of(basePath);
        this.storage = storage;
    }

    static AzureBlobContainerDestination parse(String destination, ReadableConfig flinkConfig, Map<String, String> jobOptions) {
        Path path = new Path(destination);
        AzureBlobLocation.of(path); // validates account and container, naming the path
        return new AzureBlobContainerDestination(path, AzureBlobStorage.fromConfiguration(
                ConnectorSettings.collect("filesink.azure.", AzureBlobOptions.class, flinkConfig, jobOptions)));
    }

    @Override
    public Path basePath() {
        return basePath;
    }

    @Override
    public PartFileStorage storage() {
        return storage;
    }

    @Override
    public String describe() {
        return "Azure Blob " + location.describe() + " at " + location.endpoint();
    }

    /** The Azure SDK is relocated inside the Azure module: the example does not list blobs itself. */
    @Override
    public Optional<List<FinishedPartFile>> finishedFiles() {
        return Optional.empty();
    }
}
