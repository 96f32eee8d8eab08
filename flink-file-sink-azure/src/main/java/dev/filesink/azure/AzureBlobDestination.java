package dev.filesink.azure;

import dev.filesink.azure.config.AzureBlobCredentials;
import dev.filesink.azure.config.AzureBlobOptions;

import org.apache.flink.configuration.ReadableConfig;

import java.io.Serializable;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * How to reach Blob Storage and how to write to it: authentication, an optional endpoint override, retries, and
 * the block staging settings. Built with {@link #builder()} or {@link #fromConfiguration}; turned into the
 * sink's storage with {@link AzureBlobStorage#of(AzureBlobDestination)}.
 *
 * <p>Serializable and free of secrets in {@link #toString()}.
 */
public final class AzureBlobDestination implements Serializable {

    private static final long serialVersionUID = 1L;

    public static final int DEFAULT_BLOCK_SIZE = 8 * 1024 * 1024;
    public static final int MAX_BLOCK_SIZE = 1024 * 1024 * 1024;
    public static final int DEFAULT_UPLOADS_IN_FLIGHT = 4;
    public static final long DEFAULT_MAX_BUFFERED_BYTES = 64L * 1024 * 1024;
    /** The service's limit of committed blocks per block blob. */
    public static final int MAX_BLOCKS_PER_BLOB = 50_000;
    public static final int DEFAULT_MAX_TRIES = 4;
    public static final Duration DEFAULT_TRY_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_RETRY_DELAY = Duration.ofSeconds(1);
    public static final Duration DEFAULT_MAX_RETRY_DELAY = Duration.ofSeconds(30);

    private final AzureBlobCredentials credentials;
    private final String accountName;
    private final String endpoint;
    private final int blockSize;
    private final int uploadsInFlight;
    private final long maxBufferedBytes;
    private final int maxBlocksPerBlob;
    private final int maxTries;
    private final Duration tryTimeout;
    private final Duration retryDelay;
    private final Duration maxRetryDelay;

    private AzureBlobDestination(Builder builder) {
        this.credentials = builder.credentials;
        this.accountName = builder.accountName;
        this.endpoint = builder.endpoint;
        this.blockSize = builder.blockSize;
        this.uploadsInFlight = builder.uploadsInFlight;
        this.maxBufferedBytes = builder.maxBufferedBytes;
        this.maxBlocksPerBlob = builder.maxBlocksPerBlob;
        this.maxTries = builder.maxTries;
        this.tryTimeout = builder.tryTimeout;
        this.retryDelay = builder.retryDelay;
        this.maxRetryDelay = builder.maxRetryDelay;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A destination from configuration; fails naming the option that is missing or wrong. */
    public static AzureBlobDestination fromConfiguration(ReadableConfig conf) {
        AzureBlobDestination.Builder builder = builder()
                .accountName(conf.get(AzureBlobOptions.ACCOUNT_NAME))
                .endpoint(conf.get(AzureBlobOptions.ENDPOINT))
                .uploadsInFlight(conf.get(AzureBlobOptions.UPLOADS_IN_FLIGHT))
                .maxBufferedBytes(conf.get(AzureBlobOptions.MAX_BUFFERED).getBytes())
                .maxBlocksPerBlob(conf.get(AzureBlobOptions.MAX_BLOCKS_PER_BLOB))
                .maxTries(conf.get(AzureBlobOptions.MAX_TRIES))
                .tryTimeout(conf.get(AzureBlobOptions.TRY_TIMEOUT))
                .retryDelay(conf.get(AzureBlobOptions.RETRY_DELAY))
                .maxRetryDelay(conf.get(AzureBlobOptions.MAX_RETRY_DELAY));
        long blockSize = conf.get(AzureBlobOptions.BLOCK_SIZE).getBytes();
        if (blockSize < 1 || blockSize > MAX_BLOCK_SIZE) {
            throw new IllegalArgumentException(AzureBlobOptions.BLOCK_SIZE.key() + " must be between 1 byte and 1 gb, was "
                    + conf.get(AzureBlobOptions.BLOCK_SIZE));
        }
        builder.blockSize((int) blockSize);

        builder.credentials(AzureBlobCredentials.fromConfiguration(conf));
        return builder.build();
    }

    public AzureBlobCredentials credentials() {
        return credentials;
    }

    /** The account name set on the builder, if any (otherwise the path's or the connection string's is used). */
    public Optional<String> accountName() {
        return Optional.ofNullable(accountName);
    }

    /** The endpoint override (Azurite, private endpoints, sovereign clouds), if any. */
    public Optional<String> endpoint() {
        return Optional.ofNullable(endpoint);
    }

    public int blockSize() {
        return blockSize;
    }

    public int uploadsInFlight() {
        return uploadsInFlight;
    }

    public long maxBufferedBytes() {
        return maxBufferedBytes;
    }

    public int maxBlocksPerBlob() {
        return maxBlocksPerBlob;
    }

    public int maxTries() {
        return maxTries;
    }

    public Duration tryTimeout() {
        return tryTimeout;
    }

    public Duration retryDelay() {
        return retryDelay;
    }

    public Duration maxRetryDelay() {
        return maxRetryDelay;
    }

    @Override
    public String toString() {
        return "AzureBlobDestination{credentials=" + credentials.mode()
                + (accountName != null ? ", account=" + accountName : "")
                + (endpoint != null ? ", endpoint=" + endpoint : "")
                + ", blockSize=" + blockSize + ", uploadsInFlight=" + uploadsInFlight
                + ", maxBufferedBytes=" + maxBufferedBytes + ", maxBlocksPerBlob=" + maxBlocksPerBlob
                + ", maxTries=" + maxTries + ", tryTimeout=" + tryTimeout + ", retryDelay=" + retryDelay
                + ", maxRetryDelay=" + maxRetryDelay + "}";
    }

    /** Builds an {@link AzureBlobDestination}; exactly one authentication mode must be chosen. */
    public static final class Builder {

        private AzureBlobCredentials credentials;
        private String accountName;
        private String endpoint;
        private int blockSize = DEFAULT_BLOCK_SIZE;
        private int uploadsInFlight = DEFAULT_UPLOADS_IN_FLIGHT;
        private long maxBufferedBytes = DEFAULT_MAX_BUFFERED_BYTES;
        private int maxBlocksPerBlob = MAX_BLOCKS_PER_BLOB;
        private int maxTries = DEFAULT_MAX_TRIES;
        private Duration tryTimeout = DEFAULT_TRY_TIMEOUT;
        private Duration retryDelay = DEFAULT_RETRY_DELAY;
        private Duration maxRetryDelay = DEFAULT_MAX_RETRY_DELAY;

        private Builder() {}

        /** Authenticates with a connection string (its BlobEndpoint, if any, is used unless an endpoint is set). */
        public Builder connectionString(String connectionString) {
            return credentials(AzureBlobCredentials.connectionString(connectionString));
        }

        /** Authenticates with the account's access key (Shared Key). */
        public Builder accountKey(String accountKey) {
            return credentials(AzureBlobCredentials.accountKey(accountKey));
        }

        /** Authenticates with a SAS token. */
        public Builder sasToken(String sasToken) {
            return credentials(AzureBlobCredentials.sasToken(sasToken));
        }

        /** Authenticates with Microsoft Entra ID through {@code DefaultAzureCredential}. */
        public Builder defaultAzureCredential() {
            return credentials(AzureBlobCredentials.defaultAzureCredential(null, null));
        }

        /** {@code DefaultAzureCredential} with a user-assigned managed identity's client id and/or a tenant. */
        public Builder defaultAzureCredential(String managedIdentityClientId, String tenantId) {
            return credentials(AzureBlobCredentials.defaultAzureCredential(managedIdentityClientId, tenantId));
        }

        public Builder credentials(AzureBlobCredentials credentials) {
            if (this.credentials != null) {
                throw new IllegalArgumentException("Azure authentication: choose one mode, " + this.credentials.mode()
                        + " was already set before " + credentials.mode());
            }
            this.credentials = credentials;
            return this;
        }

        /** The storage account; optional when the path (or the connection string) names it, which must then agree. */
        public Builder accountName(String accountName) {
            this.accountName = accountName == null || accountName.isBlank() ? null : accountName.trim().toLowerCase(Locale.ROOT);
            return this;
        }

        /**
         * The Blob endpoint to send requests to instead of {@code https://<account>.blob.core.windows.net}, e.g.
         * {@code http://127.0.0.1:10000/devstoreaccount1} for Azurite or a private endpoint.
         */
        public Builder endpoint(String endpoint) {
            this.endpoint = endpoint == null || endpoint.isBlank() ? null : endpoint.trim().replaceAll("/+$", "");
            return this;
        }

        /** Bytes per staged block (default 8 MiB); a part file's last block and blocks cut at a checkpoint are smaller. */
        public Builder blockSize(int bytes) {
            this.blockSize = bytes;
            return this;
        }

        /** Blocks uploaded at once per writer subtask (default 4); each holds up to one block in memory. */
        public Builder uploadsInFlight(int uploads) {
            this.uploadsInFlight = uploads;
            return this;
        }

        /**
         * Bytes buffered per writer subtask across its open part files, not counting uploads in flight (default 64
         * MiB). When passed, the largest buffer is staged early as a smaller block.
         */
        public Builder maxBufferedBytes(long bytes) {
            this.maxBufferedBytes = bytes;
            return this;
        }

        /** Blocks per part file before it must roll (default and maximum: the service's 50,000). */
        public Builder maxBlocksPerBlob(int blocks) {
            this.maxBlocksPerBlob = blocks;
            return this;
        }

        /** Attempts per request, the first included (default 4). */
        public Builder maxTries(int tries) {
            this.maxTries = tries;
            return this;
        }

        /** Time allowed for one attempt of one request (default 60 s). */
        public Builder tryTimeout(Duration timeout) {
            this.tryTimeout = timeout;
            return this;
        }

        /** The first pause between attempts, doubling up to {@link #maxRetryDelay} (default 1 s and 30 s). */
        public Builder retryDelay(Duration delay) {
            this.retryDelay = delay;
            return this;
        }

        public Builder maxRetryDelay(Duration delay) {
            this.maxRetryDelay = delay;
            return this;
        }

        public AzureBlobDestination build() {
            require(credentials != null, "authentication: set one of connectionString, accountKey, sasToken or "
                    + "defaultAzureCredential");
            if (endpoint != null) {
                URI uri;
                try {
                    uri = URI.create(endpoint);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("endpoint '" + endpoint + "' is not a URL: " + e.getMessage());
                }
                require(("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null,
                        "endpoint '" + endpoint + "' must be an http(s) URL such as https://account.blob.core.windows.net");
                require(uri.getRawQuery() == null, "endpoint must not carry a query (put a SAS token in sasToken)");
            }
            require(blockSize > 0 && blockSize <= MAX_BLOCK_SIZE,
                    "blockSize must be between 1 byte and 1 GiB, was " + blockSize);
            require(uploadsInFlight > 0 && uploadsInFlight <= 64,
                    "uploadsInFlight must be between 1 and 64, was " + uploadsInFlight);
            require(maxBufferedBytes > 0, "maxBufferedBytes must be positive, was " + maxBufferedBytes);
            require(maxBlocksPerBlob >= 8 && maxBlocksPerBlob <= MAX_BLOCKS_PER_BLOB,
                    "maxBlocksPerBlob must be between 8 and 50,000, was " + maxBlocksPerBlob);
            require(maxTries >= 1, "maxTries must be at least 1, was " + maxTries);
            require(tryTimeout != null && !tryTimeout.isNegative() && !tryTimeout.isZero() && tryTimeout.toSeconds() >= 1,
                    "tryTimeout must be at least 1 second, was " + tryTimeout);
            require(retryDelay != null && maxRetryDelay != null && !retryDelay.isNegative() && !retryDelay.isZero()
                            && maxRetryDelay.compareTo(retryDelay) >= 0,
                    "retryDelay must be positive and maxRetryDelay at least retryDelay, were " + retryDelay + " and "
                            + maxRetryDelay);
            return new AzureBlobDestination(this);
        }

        private static void require(boolean condition, String message) {
            if (!condition) {
                throw new IllegalArgumentException("Azure Blob destination: " + message);
            }
        }
    }
}
