package dev.filesink.azure.config;

import dev.filesink.azure.AzureBlobDestination;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.MemorySize;

import java.time.Duration;
import java.util.List;

/**
 * Flink configuration keys for the Azure Blob sink. Secrets sit under {@code filesink.azure.secret.*}: Flink masks
 * the values of keys containing "secret" wherever it prints its configuration.
 */
public final class AzureBlobOptions {

    private AzureBlobOptions() {}

    public static final ConfigOption<String> CREDENTIALS_PROVIDER = ConfigOptions.key("filesink.azure.credentials.provider")
            .stringType()
            .noDefaultValue()
            .withDeprecatedKeys("filesink.azure.credentials.provider")
            .withDescription("account-key, sas-token, connection-string or default-azure-credential. Optional when "
                    + "exactly one secret option is set. Formerly filesink.azure.credentials.provider, still read (with a warning).");

    public static final ConfigOption<String> ACCOUNT_NAME = ConfigOptions.key("filesink.azure.account.name")
            .stringType()
            .noDefaultValue()
            .withDescription("The storage account; optional when the path names it (it must then agree).");

    public static final ConfigOption<String> ACCOUNT_KEY = ConfigOptions.key("filesink.azure.secret.account-key")
            .stringType()
            .noDefaultValue()
            .withDescription("The account's access key (Shared Key authentication).");

    public static final ConfigOption<String> SAS_TOKEN = ConfigOptions.key("filesink.azure.secret.sas-token")
            .stringType()
            .noDefaultValue()
            .withDescription("A SAS token with read, add, create and write permissions on blobs.");

    public static final ConfigOption<String> CONNECTION_STRING = ConfigOptions.key("filesink.azure.secret.connection-string")
            .stringType()
            .noDefaultValue()
            .withDescription("A storage connection string.");

    public static final ConfigOption<String> MANAGED_IDENTITY_CLIENT_ID =
            ConfigOptions.key("filesink.azure.managed-identity.client-id")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("DefaultAzureCredential: client id of a user-assigned managed identity or "
                            + "workload identity.");

    public static final ConfigOption<String> TENANT_ID = ConfigOptions.key("filesink.azure.tenant-id")
            .stringType()
            .noDefaultValue()
            .withDescription("DefaultAzureCredential: the Microsoft Entra tenant.");

    public static final ConfigOption<String> ENDPOINT = ConfigOptions.key("filesink.azure.endpoint")
            .stringType()
            .noDefaultValue()
            .withDescription("Blob endpoint override, e.g. http://127.0.0.1:10000/devstoreaccount1 for Azurite.");

    public static final ConfigOption<MemorySize> BLOCK_SIZE = ConfigOptions.key("filesink.azure.block-size")
            .memoryType()
            .defaultValue(MemorySize.parse(AzureBlobDestination.DEFAULT_BLOCK_SIZE + "b"))
            .withDescription("Bytes per staged block (up to 1 gb).");

    public static final ConfigOption<Integer> UPLOADS_IN_FLIGHT = ConfigOptions.key("filesink.azure.uploads-in-flight")
            .intType()
            .defaultValue(AzureBlobDestination.DEFAULT_UPLOADS_IN_FLIGHT)
            .withDescription("Blocks uploaded at once per writer subtask.");

    public static final ConfigOption<MemorySize> MAX_BUFFERED = ConfigOptions.key("filesink.azure.max-buffered-bytes")
            .memoryType()
            .defaultValue(MemorySize.parse(AzureBlobDestination.DEFAULT_MAX_BUFFERED_BYTES + "b"))
            .withDescription("Bytes buffered per writer subtask across its open part files; past it the largest "
                    + "buffer is staged early.");

    public static final ConfigOption<Integer> MAX_BLOCKS_PER_BLOB = ConfigOptions.key("filesink.azure.max-blocks-per-blob")
            .intType()
            .defaultValue(AzureBlobDestination.MAX_BLOCKS_PER_BLOB)
            .withDescription("Blocks per part file before it rolls (at most 50000).");

    public static final ConfigOption<Integer> MAX_TRIES = ConfigOptions.key("filesink.azure.retry.max-tries")
            .intType()
            .defaultValue(AzureBlobDestination.DEFAULT_MAX_TRIES)
            .withDescription("Attempts per request, the first included.");

    public static final ConfigOption<Duration> TRY_TIMEOUT = ConfigOptions.key("filesink.azure.retry.try-timeout")
            .durationType()
            .defaultValue(AzureBlobDestination.DEFAULT_TRY_TIMEOUT)
            .withDescription("Time allowed for one attempt of a request.");

    public static final ConfigOption<Duration> RETRY_DELAY = ConfigOptions.key("filesink.azure.retry.delay")
            .durationType()
            .defaultValue(AzureBlobDestination.DEFAULT_RETRY_DELAY)
            .withDescription("First pause between attempts; doubles up to the max delay.");

    public static final ConfigOption<Duration> MAX_RETRY_DELAY = ConfigOptions.key("filesink.azure.retry.max-delay")
            .durationType()
            .defaultValue(AzureBlobDestination.DEFAULT_MAX_RETRY_DELAY)
            .withDescription("Longest pause between attempts.");

    /** Every option, for documentation and tools. */
    public static List<ConfigOption<?>> all() {
        return List.of(CREDENTIALS_PROVIDER, ACCOUNT_NAME, ACCOUNT_KEY, SAS_TOKEN, CONNECTION_STRING, MANAGED_IDENTITY_CLIENT_ID,
                TENANT_ID, ENDPOINT, BLOCK_SIZE, UPLOADS_IN_FLIGHT, MAX_BUFFERED, MAX_BLOCKS_PER_BLOB, MAX_TRIES,
                TRY_TIMEOUT, RETRY_DELAY, MAX_RETRY_DELAY);
    }
}
