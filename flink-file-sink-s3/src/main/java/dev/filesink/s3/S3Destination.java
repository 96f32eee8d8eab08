package dev.filesink.s3;

import dev.filesink.s3.config.S3Credentials;
import dev.filesink.s3.config.S3Options;
import dev.filesink.s3.config.ServerSideEncryption;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.ReadableConfig;

import java.io.Serializable;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * Where and how the sink talks to S3: the client settings (region, endpoint, credentials, retries, timeouts), what
 * is written (encryption, storage class) and how uploads are buffered. The bucket and key prefix come from the sink's
 * base path ({@code s3://bucket/prefix}).
 *
 * <p>Every setting is kept as its {@link S3Options} key, so its default is the option's, in one place; the builder
 * and {@link #fromConfiguration} set the same keys.
 *
 * <pre>{@code
 * FileSink.forRowFormat(new Path("s3://my-bucket/events"), new SimpleStringEncoder<String>())
 *     .withStorage(S3Storage.of(S3Destination.builder().region("eu-west-1").build()))
 *     .build();
 * }</pre>
 */
public final class S3Destination implements Serializable {

    private static final long serialVersionUID = 2L;

    /** S3's smallest part size for all but the last part of a multipart upload. */
    public static final long MIN_PART_SIZE = 5L * 1024 * 1024;
    /** S3's largest part size. */
    public static final long MAX_PART_SIZE = 5L * 1024 * 1024 * 1024;

    /** The {@link S3Options#SETTINGS} set on the builder or in the configuration; absent ones have their default. */
    private final Configuration settings;
    private final S3Credentials credentials;
    private final ServerSideEncryption encryption;

    private S3Destination(Builder b) {
        this.settings = new Configuration(b.settings);
        this.credentials = b.credentials;
        this.encryption = b.encryption;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Reads the {@code filesink.s3.*} keys of {@link S3Options}; absent keys keep their defaults. */
    public static S3Destination fromConfiguration(ReadableConfig config) {
        Builder b = builder();
        for (ConfigOption<?> option : S3Options.SETTINGS) {
            copy(config, option, b.settings);
        }
        config.getOptional(S3Options.ENDPOINT).ifPresent(b::endpoint);
        b.credentials(S3Credentials.fromConfiguration(config));
        b.serverSideEncryption(ServerSideEncryption.parse(
                config.get(S3Options.SSE), config.getOptional(S3Options.SSE_KMS_KEY_ID).orElse(null)));
        return b.build();
    }

    private static <T> void copy(ReadableConfig from, ConfigOption<T> option, Configuration to) {
        from.getOptional(option).ifPresent(value -> to.set(option, value));
    }

    /** Shortcut for {@code fromConfiguration(Configuration.fromMap(map))}. */
    public static S3Destination fromMap(Map<String, String> settings) {
        return fromConfiguration(Configuration.fromMap(settings));
    }

    /** The AWS region, or null for the SDK's region chain. */
    public String region() {
        return text(S3Options.REGION);
    }

    /** The endpoint of an S3-compatible store, or null for AWS's. */
    public URI endpoint() {
        String endpoint = text(S3Options.ENDPOINT);
        return endpoint == null ? null : URI.create(endpoint);
    }

    public boolean pathStyleAccess() {
        return settings.get(S3Options.PATH_STYLE_ACCESS);
    }

    public S3Credentials credentials() {
        return credentials;
    }

    public ServerSideEncryption serverSideEncryption() {
        return encryption;
    }

    /** The storage class of written objects, upper case, or null for the bucket's default. */
    public String storageClass() {
        String storageClass = text(S3Options.STORAGE_CLASS);
        return storageClass == null ? null : storageClass.toUpperCase(Locale.ROOT);
    }

    public long partSize() {
        return settings.get(S3Options.PART_SIZE).getBytes();
    }

    public int uploadThreads() {
        return settings.get(S3Options.UPLOAD_THREADS);
    }

    public int maxQueuedParts() {
        return settings.get(S3Options.MAX_QUEUED_PARTS);
    }

    public int requestThreads() {
        return settings.get(S3Options.REQUEST_THREADS);
    }

    public long bufferMemory() {
        return settings.get(S3Options.BUFFER_MEMORY).getBytes();
    }

    /** The local folder for part buffers over the memory budget, or null for {@code java.io.tmpdir}. */
    public String spillDirectory() {
        return text(S3Options.SPILL_DIRECTORY);
    }

    public int inlineTailLimit() {
        return (int) settings.get(S3Options.INLINE_TAIL_LIMIT).getBytes();
    }

    public long singlePutLimit() {
        return settings.get(S3Options.SINGLE_PUT_LIMIT).getBytes();
    }

    public long inlineBudget() {
        return settings.get(S3Options.INLINE_BUDGET).getBytes();
    }

    /** The key prefix for staging objects (without a leading '/'), or null for the default below the base path. */
    public String stagingPrefix() {
        String prefix = text(S3Options.STAGING_PREFIX);
        return prefix != null && prefix.startsWith("/") ? prefix.substring(1) : prefix;
    }

    public boolean conditionalWrites() {
        return settings.get(S3Options.CONDITIONAL_WRITES);
    }

    public boolean checksums() {
        return settings.get(S3Options.CHECKSUMS);
    }

    public int retryMaxAttempts() {
        return settings.get(S3Options.RETRY_MAX_ATTEMPTS);
    }

    public Duration retryBaseDelay() {
        return settings.get(S3Options.RETRY_BASE_DELAY);
    }

    public Duration retryMaxDelay() {
        return settings.get(S3Options.RETRY_MAX_DELAY);
    }

    /** The time limit of one request with its retries, or null for the SDK's. */
    public Duration apiCallTimeout() {
        return settings.getOptional(S3Options.API_CALL_TIMEOUT).orElse(null);
    }

    /** The time limit of one attempt of a request, or null for the SDK's. */
    public Duration apiCallAttemptTimeout() {
        return settings.getOptional(S3Options.API_CALL_ATTEMPT_TIMEOUT).orElse(null);
    }

    public Duration connectionTimeout() {
        return settings.get(S3Options.CONNECTION_TIMEOUT);
    }

    public Duration socketTimeout() {
        return settings.get(S3Options.SOCKET_TIMEOUT);
    }

    /** A text setting, trimmed; null when it is absent or blank. */
    private String text(ConfigOption<String> option) {
        String value = settings.getOptional(option).map(String::trim).orElse(null);
        return value == null || value.isEmpty() ? null : value;
    }

    @Override
    public String toString() {
        return "S3Destination{region=" + (region() != null ? region() : "<sdk default>")
                + (endpoint() != null ? ", endpoint=" + endpoint() : "")
                + (pathStyleAccess() ? ", pathStyle" : "")
                + ", credentials=" + credentials
                + ", sse=" + encryption
                + (storageClass() != null ? ", storageClass=" + storageClass() : "")
                + ", partSize=" + partSize()
                + ", uploadThreads=" + uploadThreads()
                + ", requestThreads=" + requestThreads()
                + ", bufferMemory=" + bufferMemory()
                + ", inlineTailLimit=" + inlineTailLimit()
                + ", singlePutLimit=" + singlePutLimit()
                + ", inlineBudget=" + inlineBudget()
                + ", conditionalWrites=" + conditionalWrites()
                + ", checksums=" + checksums()
                + ", retries=" + retryMaxAttempts() + '}';
    }

    /** Builds an {@link S3Destination}; every setting has the default of its {@link S3Options} key. */
    public static final class Builder {
        private final Configuration settings = new Configuration();
        private S3Credentials credentials = S3Credentials.defaultChain();
        private ServerSideEncryption encryption = ServerSideEncryption.none();

        private Builder() {}

        public Builder region(String region) {
            return set(S3Options.REGION, region);
        }

        /** An endpoint for S3-compatible stores, e.g. {@code http://127.0.0.1:9000}. */
        public Builder endpoint(String endpoint) {
            if (endpoint != null && !endpoint.isBlank()) {
                checkEndpoint(endpoint);
            }
            return set(S3Options.ENDPOINT, endpoint);
        }

        public Builder pathStyleAccess(boolean enabled) {
            return set(S3Options.PATH_STYLE_ACCESS, enabled);
        }

        public Builder credentials(S3Credentials credentials) {
            require(credentials != null, "credentials must not be null");
            this.credentials = credentials;
            return this;
        }

        public Builder serverSideEncryption(ServerSideEncryption encryption) {
            require(encryption != null, "serverSideEncryption must not be null");
            this.encryption = encryption;
            return this;
        }

        /** A storage class such as STANDARD, STANDARD_IA, INTELLIGENT_TIERING (null: the bucket's default). */
        public Builder storageClass(String storageClass) {
            return set(S3Options.STORAGE_CLASS, storageClass);
        }

        /** Multipart part size in bytes: at least 5 MiB. */
        public Builder partSize(long bytes) {
            return setBytes(S3Options.PART_SIZE, "partSize", bytes);
        }

        /** Parts uploaded at once per writer subtask. */
        public Builder uploadThreads(int threads) {
            return set(S3Options.UPLOAD_THREADS, threads);
        }

        /** Full parts waiting for an upload thread per writer subtask before writing blocks. */
        public Builder maxQueuedParts(int parts) {
            return set(S3Options.MAX_QUEUED_PARTS, parts);
        }

        /**
         * Requests of closing and persisting part files in flight at once per writer subtask: the last parts of
         * closed files and staged tails. A checkpoint may close hundreds of small files at once; these requests never
         * block the writer.
         */
        public Builder requestThreads(int threads) {
            return set(S3Options.REQUEST_THREADS, threads);
        }

        /** Heap for part buffers per writer subtask; beyond it parts are buffered on disk. */
        public Builder bufferMemory(long bytes) {
            return setBytes(S3Options.BUFFER_MEMORY, "bufferMemory", bytes);
        }

        /** Local folder for part buffers over the memory budget (null: {@code java.io.tmpdir}). */
        public Builder spillDirectory(String directory) {
            return set(S3Options.SPILL_DIRECTORY, directory);
        }

        /**
         * Tails up to this many bytes are kept in the checkpoint instead of a staging object (0: never). Saves a PUT
         * (and a GET on recovery) per open part file and checkpoint, at the cost of larger checkpoints with many
         * buckets.
         */
        public Builder inlineTailLimit(long bytes) {
            if (bytes < 0 || bytes > MIN_PART_SIZE) {
                throw new IllegalArgumentException("inlineTailLimit: must be between 0 and 5 MiB, was " + bytes);
            }
            return setBytes(S3Options.INLINE_TAIL_LIMIT, "inlineTailLimit", bytes);
        }

        /**
         * Part files closed at up to this many bytes are carried in the checkpoint and committed with one conditional
         * PUT (0: always a multipart upload): one request instead of three per file, for bytes in the checkpoint,
         * bounded by {@link #inlineBudget}. A file that grows past it starts its multipart upload in the background
         * at once, so that closing it only has to upload the last part. At most the part size.
         */
        public Builder singlePutLimit(long bytes) {
            return setBytes(S3Options.SINGLE_PUT_LIMIT, "singlePutLimit", bytes);
        }

        /**
         * Part file bytes one writer subtask carries in a checkpoint at most: inline tails and single-PUT files
         * together (0: none). Beyond it, tails are staged and files uploaded. Bounds the heap these bytes take and the
         * checkpoint size. The default fits Flink's JobManager checkpoint storage (no checkpoint directory), which
         * takes at most 5 MiB of state per operator; with a checkpoint directory, raise it (e.g. to 64 MiB) when
         * checkpoints close many small files.
         */
        public Builder inlineBudget(long bytes) {
            return setBytes(S3Options.INLINE_BUDGET, "inlineBudget", bytes);
        }

        /**
         * Key prefix (in the same bucket) for staging objects; null: {@code <base path>/_filesink-staging/}. It must
         * not be a prefix of the final part files' keys' folders.
         */
        public Builder stagingPrefix(String prefix) {
            return set(S3Options.STAGING_PREFIX, prefix);
        }

        /** Whether commits send {@code If-None-Match: *}; see the docs before turning it off. */
        public Builder conditionalWrites(boolean enabled) {
            return set(S3Options.CONDITIONAL_WRITES, enabled);
        }

        /** Whether the SDK sends and checks its default integrity checksums. */
        public Builder checksums(boolean enabled) {
            return set(S3Options.CHECKSUMS, enabled);
        }

        /** Attempts per request and the exponential backoff between them. */
        public Builder retries(int maxAttempts, Duration baseDelay, Duration maxDelay) {
            require(baseDelay != null && maxDelay != null, "retries: the delays must not be null");
            set(S3Options.RETRY_MAX_ATTEMPTS, maxAttempts);
            set(S3Options.RETRY_BASE_DELAY, baseDelay);
            return set(S3Options.RETRY_MAX_DELAY, maxDelay);
        }

        public Builder apiCallTimeout(Duration timeout) {
            return set(S3Options.API_CALL_TIMEOUT, timeout);
        }

        public Builder apiCallAttemptTimeout(Duration timeout) {
            return set(S3Options.API_CALL_ATTEMPT_TIMEOUT, timeout);
        }

        public Builder connectionTimeout(Duration timeout) {
            return set(S3Options.CONNECTION_TIMEOUT, timeout);
        }

        public Builder socketTimeout(Duration timeout) {
            return set(S3Options.SOCKET_TIMEOUT, timeout);
        }

        /** Sets a key, or takes it back to its default when the value is null or blank text. */
        private <T> Builder set(ConfigOption<T> option, T value) {
            if (value == null || (value instanceof String text && text.isBlank())) {
                settings.removeConfig(option);
            } else {
                settings.set(option, value);
            }
            return this;
        }

        private Builder setBytes(ConfigOption<MemorySize> option, String name, long bytes) {
            require(bytes >= 0, name + ": must not be negative, was " + bytes);
            return set(option, new MemorySize(bytes));
        }

        public S3Destination build() {
            S3Destination d = new S3Destination(this);
            require(d.partSize() >= MIN_PART_SIZE && d.partSize() <= MAX_PART_SIZE,
                    "partSize: must be between 5 MiB and 5 GiB, was " + d.partSize());
            require(d.uploadThreads() >= 1, "uploadThreads: must be at least 1, was " + d.uploadThreads());
            require(d.maxQueuedParts() >= 0, "maxQueuedParts: must not be negative, was " + d.maxQueuedParts());
            require(d.requestThreads() >= 1, "requestThreads: must be at least 1, was " + d.requestThreads());
            require(d.inlineTailLimit() >= 0 && d.inlineTailLimit() <= MIN_PART_SIZE,
                    "inlineTailLimit: must be between 0 and 5 MiB, was " + d.inlineTailLimit());
            require(d.singlePutLimit() <= d.partSize(),
                    "singlePutLimit: must be between 0 and the part size (" + d.partSize() + "), was "
                            + d.singlePutLimit());
            require(d.retryMaxAttempts() >= 1, "retries: maxAttempts must be at least 1, was " + d.retryMaxAttempts());
            require(d.retryBaseDelay().toMillis() > 0 && d.retryMaxDelay().compareTo(d.retryBaseDelay()) >= 0,
                    "retries: the base delay must be at least 1 ms and the max delay at least the base delay, were "
                            + d.retryBaseDelay() + " and " + d.retryMaxDelay());
            requirePositive(d.apiCallTimeout(), "apiCallTimeout");
            requirePositive(d.apiCallAttemptTimeout(), "apiCallAttemptTimeout");
            requirePositive(d.connectionTimeout(), "connectionTimeout");
            requirePositive(d.socketTimeout(), "socketTimeout");
            return d;
        }

        private static void checkEndpoint(String endpoint) {
            URI uri;
            try {
                uri = URI.create(endpoint.trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("endpoint: not a URI: '" + endpoint + "'", e);
            }
            if (uri.getScheme() == null || uri.getHost() == null
                    || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
                throw new IllegalArgumentException("endpoint: expected http(s)://host[:port], got '" + endpoint + "'");
            }
        }

        private static void requirePositive(Duration value, String name) {
            require(value == null || (!value.isNegative() && !value.isZero()), name + ": must be positive, was " + value);
        }

        private static void require(boolean condition, String message) {
            if (!condition) {
                throw new IllegalArgumentException(message);
            }
        }
    }
}
