package dev.filesink.s3;

import dev.filesink.s3.config.S3Credentials;
import dev.filesink.s3.config.S3Options;
import dev.filesink.s3.config.ServerSideEncryption;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ReadableConfig;

import java.io.Serializable;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;

/**
 * Where and how the sink talks to S3: the client settings (region, endpoint, credentials, retries, timeouts), what
 * is written (encryption, storage class) and how uploads are buffered. The bucket and key prefix come from the sink's
 * base path ({@code s3://bucket/prefix}).
 *
 * <pre>{@code
 * FileSink.forRowFormat(new Path("s3://my-bucket/events"), new SimpleStringEncoder<String>())
 *     .withStorage(S3Destination.builder().region("eu-west-1").build().storage())
 *     .build();
 * }</pre>
 */
public final class S3Destination implements Serializable {

    private static final long serialVersionUID = 1L;

    /** S3's smallest part size for all but the last part of a multipart upload. */
    public static final long MIN_PART_SIZE = 5L * 1024 * 1024;
    /** S3's largest part size. */
    public static final long MAX_PART_SIZE = 5L * 1024 * 1024 * 1024;

    private final String region;
    private final URI endpoint;
    private final boolean pathStyleAccess;
    private final S3Credentials credentials;
    private final ServerSideEncryption encryption;
    private final String storageClass;
    private final long partSize;
    private final int uploadThreads;
    private final int maxQueuedParts;
    private final int requestThreads;
    private final long bufferMemory;
    private final String spillDirectory;
    private final int inlineTailLimit;
    private final long singlePutLimit;
    private final long inlineBudget;
    private final String stagingPrefix;
    private final boolean conditionalWrites;
    private final boolean checksums;
    private final int retryMaxAttempts;
    private final Duration retryBaseDelay;
    private final Duration retryMaxDelay;
    private final Duration apiCallTimeout;
    private final Duration apiCallAttemptTimeout;
    private final Duration connectionTimeout;
    private final Duration socketTimeout;

    private S3Destination(Builder b) {
        this.region = b.region;
        this.endpoint = b.endpoint;
        this.pathStyleAccess = b.pathStyleAccess;
        this.credentials = b.credentials;
        this.encryption = b.encryption;
        this.storageClass = b.storageClass;
        this.partSize = b.partSize;
        this.uploadThreads = b.uploadThreads;
        this.maxQueuedParts = b.maxQueuedParts;
        this.requestThreads = b.requestThreads;
        this.bufferMemory = b.bufferMemory;
        this.spillDirectory = b.spillDirectory;
        this.inlineTailLimit = b.inlineTailLimit;
        this.singlePutLimit = b.singlePutLimit;
        this.inlineBudget = b.inlineBudget;
        this.stagingPrefix = b.stagingPrefix;
        this.conditionalWrites = b.conditionalWrites;
        this.checksums = b.checksums;
        this.retryMaxAttempts = b.retryMaxAttempts;
        this.retryBaseDelay = b.retryBaseDelay;
        this.retryMaxDelay = b.retryMaxDelay;
        this.apiCallTimeout = b.apiCallTimeout;
        this.apiCallAttemptTimeout = b.apiCallAttemptTimeout;
        this.connectionTimeout = b.connectionTimeout;
        this.socketTimeout = b.socketTimeout;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Reads the {@code filesink.s3.*} keys of {@link S3Options}; absent keys keep their defaults. */
    public static S3Destination fromConfiguration(ReadableConfig config) {
        Builder b = builder();
        config.getOptional(S3Options.REGION).ifPresent(b::region);
        config.getOptional(S3Options.ENDPOINT).ifPresent(b::endpoint);
        b.pathStyleAccess(config.get(S3Options.PATH_STYLE_ACCESS));
        b.credentials(credentialsFrom(config));
        b.serverSideEncryption(ServerSideEncryption.parse(
                config.get(S3Options.SSE), config.getOptional(S3Options.SSE_KMS_KEY_ID).orElse(null)));
        config.getOptional(S3Options.STORAGE_CLASS).ifPresent(b::storageClass);
        b.partSize(config.get(S3Options.PART_SIZE).getBytes());
        b.uploadThreads(config.get(S3Options.UPLOAD_THREADS));
        b.maxQueuedParts(config.get(S3Options.MAX_QUEUED_PARTS));
        b.requestThreads(config.get(S3Options.REQUEST_THREADS));
        b.bufferMemory(config.get(S3Options.BUFFER_MEMORY).getBytes());
        config.getOptional(S3Options.SPILL_DIRECTORY).ifPresent(b::spillDirectory);
        b.inlineTailLimit(config.get(S3Options.INLINE_TAIL_LIMIT).getBytes());
        b.singlePutLimit(config.get(S3Options.SINGLE_PUT_LIMIT).getBytes());
        b.inlineBudget(config.get(S3Options.INLINE_BUDGET).getBytes());
        config.getOptional(S3Options.STAGING_PREFIX).ifPresent(b::stagingPrefix);
        b.conditionalWrites(config.get(S3Options.CONDITIONAL_WRITES));
        b.checksums(config.get(S3Options.CHECKSUMS));
        b.retries(config.get(S3Options.RETRY_MAX_ATTEMPTS), config.get(S3Options.RETRY_BASE_DELAY),
                config.get(S3Options.RETRY_MAX_DELAY));
        config.getOptional(S3Options.API_CALL_TIMEOUT).ifPresent(b::apiCallTimeout);
        config.getOptional(S3Options.API_CALL_ATTEMPT_TIMEOUT).ifPresent(b::apiCallAttemptTimeout);
        b.connectionTimeout(config.get(S3Options.CONNECTION_TIMEOUT));
        b.socketTimeout(config.get(S3Options.SOCKET_TIMEOUT));
        return b.build();
    }

    /** Shortcut for {@code fromConfiguration(Configuration.fromMap(map))}. */
    public static S3Destination fromMap(java.util.Map<String, String> settings) {
        return fromConfiguration(Configuration.fromMap(settings));
    }

    private static S3Credentials credentialsFrom(ReadableConfig config) {
        String provider = config.get(S3Options.CREDENTIALS_PROVIDER).trim().toLowerCase(Locale.ROOT).replace('_', '-');
        switch (provider) {
            case "default":
                return S3Credentials.defaultChain();
            case "static":
                return S3Credentials.staticKeys(
                        config.getOptional(S3Options.ACCESS_KEY).orElseThrow(() -> missing(S3Options.ACCESS_KEY.key(), provider)),
                        config.getOptional(S3Options.SECRET_KEY).orElseThrow(() -> missing(S3Options.SECRET_KEY.key(), provider)),
                        config.getOptional(S3Options.SESSION_TOKEN).orElse(null));
            case "profile":
                return S3Credentials.profile(
                        config.getOptional(S3Options.PROFILE).orElseThrow(() -> missing(S3Options.PROFILE.key(), provider)),
                        config.getOptional(S3Options.PROFILE_FILE).orElse(null));
            case "web-identity":
                return S3Credentials.webIdentity(
                        config.getOptional(S3Options.ROLE_ARN).orElse(null),
                        config.getOptional(S3Options.WEB_IDENTITY_TOKEN_FILE).orElse(null),
                        config.getOptional(S3Options.ROLE_SESSION_NAME).orElse(null));
            case "anonymous":
                return S3Credentials.anonymous();
            default:
                throw new IllegalArgumentException("Option '" + S3Options.CREDENTIALS_PROVIDER.key() + "': unknown provider '"
                        + provider + "'; expected default, static, profile, web-identity or anonymous");
        }
    }

    private static IllegalArgumentException missing(String key, String provider) {
        return new IllegalArgumentException("Option '" + key + "' is required with credentials provider '" + provider + "'");
    }

    /** This destination as the sink's storage: {@code FileSink...withStorage(destination.storage())}. */
    public S3Storage storage() {
        return new S3Storage(this);
    }

    public String region() {
        return region;
    }

    public URI endpoint() {
        return endpoint;
    }

    public boolean pathStyleAccess() {
        return pathStyleAccess;
    }

    public S3Credentials credentials() {
        return credentials;
    }

    public ServerSideEncryption serverSideEncryption() {
        return encryption;
    }

    public String storageClass() {
        return storageClass;
    }

    public long partSize() {
        return partSize;
    }

    public int uploadThreads() {
        return uploadThreads;
    }

    public int maxQueuedParts() {
        return maxQueuedParts;
    }

    public int requestThreads() {
        return requestThreads;
    }

    public long bufferMemory() {
        return bufferMemory;
    }

    public String spillDirectory() {
        return spillDirectory;
    }

    public int inlineTailLimit() {
        return inlineTailLimit;
    }

    public long singlePutLimit() {
        return singlePutLimit;
    }

    public long inlineBudget() {
        return inlineBudget;
    }

    public String stagingPrefix() {
        return stagingPrefix;
    }

    public boolean conditionalWrites() {
        return conditionalWrites;
    }

    public boolean checksums() {
        return checksums;
    }

    public int retryMaxAttempts() {
        return retryMaxAttempts;
    }

    public Duration retryBaseDelay() {
        return retryBaseDelay;
    }

    public Duration retryMaxDelay() {
        return retryMaxDelay;
    }

    public Duration apiCallTimeout() {
        return apiCallTimeout;
    }

    public Duration apiCallAttemptTimeout() {
        return apiCallAttemptTimeout;
    }

    public Duration connectionTimeout() {
        return connectionTimeout;
    }

    public Duration socketTimeout() {
        return socketTimeout;
    }

    @Override
    public String toString() {
        return "S3Destination{region=" + (region != null ? region : "<sdk default>")
                + (endpoint != null ? ", endpoint=" + endpoint : "")
                + (pathStyleAccess ? ", pathStyle" : "")
                + ", credentials=" + credentials
                + ", sse=" + encryption
                + (storageClass != null ? ", storageClass=" + storageClass : "")
                + ", partSize=" + partSize
                + ", uploadThreads=" + uploadThreads
                + ", requestThreads=" + requestThreads
                + ", bufferMemory=" + bufferMemory
                + ", inlineTailLimit=" + inlineTailLimit
                + ", singlePutLimit=" + singlePutLimit
                + ", inlineBudget=" + inlineBudget
                + ", conditionalWrites=" + conditionalWrites
                + ", checksums=" + checksums
                + ", retries=" + retryMaxAttempts + '}';
    }

    /** Builds an {@link S3Destination}; every setting has a default. */
    public static final class Builder {
        private String region;
        private URI endpoint;
        private boolean pathStyleAccess;
        private S3Credentials credentials = S3Credentials.defaultChain();
        private ServerSideEncryption encryption = ServerSideEncryption.none();
        private String storageClass;
        private long partSize = S3Options.PART_SIZE.defaultValue().getBytes();
        private int uploadThreads = S3Options.UPLOAD_THREADS.defaultValue();
        private int maxQueuedParts = S3Options.MAX_QUEUED_PARTS.defaultValue();
        private int requestThreads = S3Options.REQUEST_THREADS.defaultValue();
        private long bufferMemory = S3Options.BUFFER_MEMORY.defaultValue().getBytes();
        private String spillDirectory;
        private int inlineTailLimit = (int) S3Options.INLINE_TAIL_LIMIT.defaultValue().getBytes();
        private long singlePutLimit = S3Options.SINGLE_PUT_LIMIT.defaultValue().getBytes();
        private long inlineBudget = S3Options.INLINE_BUDGET.defaultValue().getBytes();
        private String stagingPrefix;
        private boolean conditionalWrites = true;
        private boolean checksums = true;
        private int retryMaxAttempts = S3Options.RETRY_MAX_ATTEMPTS.defaultValue();
        private Duration retryBaseDelay = S3Options.RETRY_BASE_DELAY.defaultValue();
        private Duration retryMaxDelay = S3Options.RETRY_MAX_DELAY.defaultValue();
        private Duration apiCallTimeout;
        private Duration apiCallAttemptTimeout;
        private Duration connectionTimeout = S3Options.CONNECTION_TIMEOUT.defaultValue();
        private Duration socketTimeout = S3Options.SOCKET_TIMEOUT.defaultValue();

        private Builder() {}

        public Builder region(String region) {
            this.region = region == null || region.isBlank() ? null : region.trim();
            return this;
        }

        /** An endpoint for S3-compatible stores, e.g. {@code http://127.0.0.1:9000}. */
        public Builder endpoint(String endpoint) {
            if (endpoint == null || endpoint.isBlank()) {
                this.endpoint = null;
                return this;
            }
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
            this.endpoint = uri;
            return this;
        }

        public Builder pathStyleAccess(boolean enabled) {
            this.pathStyleAccess = enabled;
            return this;
        }

        public Builder credentials(S3Credentials credentials) {
            this.credentials = credentials;
            return this;
        }

        public Builder serverSideEncryption(ServerSideEncryption encryption) {
            this.encryption = encryption;
            return this;
        }

        /** A storage class such as STANDARD, STANDARD_IA, INTELLIGENT_TIERING (null: the bucket's default). */
        public Builder storageClass(String storageClass) {
            this.storageClass = storageClass == null || storageClass.isBlank()
                    ? null : storageClass.trim().toUpperCase(Locale.ROOT);
            return this;
        }

        /** Multipart part size in bytes: at least 5 MiB (default 16 MiB). */
        public Builder partSize(long bytes) {
            this.partSize = bytes;
            return this;
        }

        /** Parts uploaded at once per writer subtask (default 4). */
        public Builder uploadThreads(int threads) {
            this.uploadThreads = threads;
            return this;
        }

        /** Full parts waiting for an upload thread per writer subtask before writing blocks (default 8). */
        public Builder maxQueuedParts(int parts) {
            this.maxQueuedParts = parts;
            return this;
        }

        /**
         * Requests of closing and persisting part files in flight at once per writer subtask (default 16): the last
         * parts of closed files and staged tails. A checkpoint may close hundreds of small files at once; these
         * requests never block the writer.
         */
        public Builder requestThreads(int threads) {
            this.requestThreads = threads;
            return this;
        }

        /** Heap for part buffers per writer subtask (default 128 MiB); beyond it parts are buffered on disk. */
        public Builder bufferMemory(long bytes) {
            this.bufferMemory = bytes;
            return this;
        }

        /** Local folder for part buffers over the memory budget (default: {@code java.io.tmpdir}). */
        public Builder spillDirectory(String directory) {
            this.spillDirectory = directory == null || directory.isBlank() ? null : directory;
            return this;
        }

        /**
         * Tails up to this many bytes are kept in the checkpoint instead of a staging object (default 64 KiB, 0:
         * never). Saves a PUT (and a GET on recovery) per open part file and checkpoint, at the cost of larger
         * checkpoints with many buckets.
         */
        public Builder inlineTailLimit(long bytes) {
            if (bytes < 0 || bytes > MIN_PART_SIZE) {
                throw new IllegalArgumentException("inlineTailLimit: must be between 0 and 5 MiB, was " + bytes);
            }
            this.inlineTailLimit = (int) bytes;
            return this;
        }

        /**
         * Part files closed at up to this many bytes are carried in the checkpoint and committed with one conditional
         * PUT (default 256 KiB; 0: always a multipart upload): one request instead of three per file, for bytes in
         * the checkpoint, bounded by {@link #inlineBudget}. A file that grows past it starts its multipart upload in
         * the background at once, so that closing it only has to upload the last part. At most the part size.
         */
        public Builder singlePutLimit(long bytes) {
            this.singlePutLimit = bytes;
            return this;
        }

        /**
         * Part file bytes one writer subtask carries in a checkpoint at most: inline tails and single-PUT files
         * together (default 4 MiB; 0: none). Beyond it, tails are staged and files uploaded. Bounds the heap these
         * bytes take and the checkpoint size. The default fits Flink's JobManager checkpoint storage (no checkpoint
         * directory), which takes at most 5 MiB of state per operator; with a checkpoint directory, raise it (e.g. to
         * 64 MiB) when checkpoints close many small files.
         */
        public Builder inlineBudget(long bytes) {
            this.inlineBudget = bytes;
            return this;
        }

        /**
         * Key prefix (in the same bucket) for staging objects; default {@code <base path>/_filesink-staging/}. It must
         * not be a prefix of the final part files' keys' folders.
         */
        public Builder stagingPrefix(String prefix) {
            this.stagingPrefix = prefix == null || prefix.isBlank() ? null : prefix;
            return this;
        }

        /** Whether commits send {@code If-None-Match: *} (default true); see the docs before turning it off. */
        public Builder conditionalWrites(boolean enabled) {
            this.conditionalWrites = enabled;
            return this;
        }

        /** Whether the SDK sends and checks its default integrity checksums (default true). */
        public Builder checksums(boolean enabled) {
            this.checksums = enabled;
            return this;
        }

        /** Attempts per request and the exponential backoff between them (default 10, 100 ms to 10 s). */
        public Builder retries(int maxAttempts, Duration baseDelay, Duration maxDelay) {
            this.retryMaxAttempts = maxAttempts;
            this.retryBaseDelay = baseDelay;
            this.retryMaxDelay = maxDelay;
            return this;
        }

        public Builder apiCallTimeout(Duration timeout) {
            this.apiCallTimeout = timeout;
            return this;
        }

        public Builder apiCallAttemptTimeout(Duration timeout) {
            this.apiCallAttemptTimeout = timeout;
            return this;
        }

        public Builder connectionTimeout(Duration timeout) {
            this.connectionTimeout = timeout;
            return this;
        }

        public Builder socketTimeout(Duration timeout) {
            this.socketTimeout = timeout;
            return this;
        }

        public S3Destination build() {
            require(credentials != null, "credentials must not be null");
            require(encryption != null, "serverSideEncryption must not be null");
            require(partSize >= MIN_PART_SIZE && partSize <= MAX_PART_SIZE,
                    "partSize: must be between 5 MiB and 5 GiB, was " + partSize);
            require(uploadThreads >= 1, "uploadThreads: must be at least 1, was " + uploadThreads);
            require(maxQueuedParts >= 0, "maxQueuedParts: must not be negative, was " + maxQueuedParts);
            require(requestThreads >= 1, "requestThreads: must be at least 1, was " + requestThreads);
            require(singlePutLimit >= 0 && singlePutLimit <= partSize,
                    "singlePutLimit: must be between 0 and the part size (" + partSize + "), was " + singlePutLimit);
            require(inlineBudget >= 0, "inlineBudget: must not be negative, was " + inlineBudget);
            require(bufferMemory >= 0, "bufferMemory: must not be negative, was " + bufferMemory);
            require(retryMaxAttempts >= 1, "retries: maxAttempts must be at least 1, was " + retryMaxAttempts);
            require(retryBaseDelay != null && retryMaxDelay != null && retryBaseDelay.toMillis() > 0
                            && retryMaxDelay.compareTo(retryBaseDelay) >= 0,
                    "retries: the base delay must be at least 1 ms and the max delay at least the base delay, were "
                            + retryBaseDelay + " and " + retryMaxDelay);
            requirePositive(apiCallTimeout, "apiCallTimeout");
            requirePositive(apiCallAttemptTimeout, "apiCallAttemptTimeout");
            requirePositive(connectionTimeout, "connectionTimeout");
            requirePositive(socketTimeout, "socketTimeout");
            if (stagingPrefix != null && stagingPrefix.startsWith("/")) {
                stagingPrefix = stagingPrefix.substring(1);
            }
            return new S3Destination(this);
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
