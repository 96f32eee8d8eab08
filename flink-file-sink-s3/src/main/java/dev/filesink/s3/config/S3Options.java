package dev.filesink.s3.config;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.MemorySize;

import java.time.Duration;
import java.util.List;

/**
 * The Flink {@code Configuration} keys of the S3 sink, all below {@code filesink.s3.}; see
 * {@link dev.filesink.s3.S3Destination#fromConfiguration}. Each has a builder method of the same meaning on
 * {@code S3Destination}, and each default is here only.
 */
public final class S3Options {

    private S3Options() {}

    private static final String PREFIX = "filesink.s3.";

    public static final ConfigOption<String> REGION = ConfigOptions.key(PREFIX + "region").stringType().noDefaultValue()
            .withDescription("AWS region, e.g. eu-west-1. Default: the SDK's region chain (AWS_REGION, profile, "
                    + "instance metadata); us-east-1 when an endpoint is set and no region is found.");

    public static final ConfigOption<String> ENDPOINT = ConfigOptions.key(PREFIX + "endpoint").stringType().noDefaultValue()
            .withDescription("Endpoint override for S3-compatible stores, e.g. http://127.0.0.1:9000.");

    public static final ConfigOption<Boolean> PATH_STYLE_ACCESS = ConfigOptions.key(PREFIX + "path-style-access")
            .booleanType().defaultValue(false)
            .withDescription("Address buckets as http://endpoint/bucket/key instead of http://bucket.endpoint/key.");

    public static final ConfigOption<String> CREDENTIALS_PROVIDER = ConfigOptions.key(PREFIX + "credentials.provider")
            .stringType().defaultValue("default")
            .withDescription("default (the SDK's provider chain), static, profile, web-identity or anonymous.");

    public static final ConfigOption<String> ACCESS_KEY = ConfigOptions.key(PREFIX + "credentials.access-key")
            .stringType().noDefaultValue().withDescription("Access key id (provider 'static').");

    /** Secrets sit below {@code filesink.s3.secret.}: Flink masks the values of keys that contain "secret". */
    private static final String SECRET = PREFIX + "secret.";

    public static final ConfigOption<String> SECRET_KEY = ConfigOptions.key(SECRET + "secret-key")
            .stringType().noDefaultValue().withDeprecatedKeys(PREFIX + "credentials.secret-key")
            .withDescription("Secret access key (provider 'static'). Never logged. Formerly "
                    + "filesink.s3.credentials.secret-key, still read (with a warning).");

    public static final ConfigOption<String> SESSION_TOKEN = ConfigOptions.key(SECRET + "session-token")
            .stringType().noDefaultValue().withDeprecatedKeys(PREFIX + "credentials.session-token")
            .withDescription("Session token of temporary credentials (provider 'static'). Formerly "
                    + "filesink.s3.credentials.session-token, still read (with a warning).");

    public static final ConfigOption<String> PROFILE = ConfigOptions.key(PREFIX + "credentials.profile")
            .stringType().noDefaultValue().withDescription("Profile name (provider 'profile').");

    public static final ConfigOption<String> PROFILE_FILE = ConfigOptions.key(PREFIX + "credentials.profile-file")
            .stringType().noDefaultValue()
            .withDescription("Credentials file of the profile (provider 'profile'); default: ~/.aws/credentials.");

    public static final ConfigOption<String> ROLE_ARN = ConfigOptions.key(PREFIX + "credentials.role-arn")
            .stringType().noDefaultValue().withDescription("Role to assume (provider 'web-identity'); default AWS_ROLE_ARN.");

    public static final ConfigOption<String> WEB_IDENTITY_TOKEN_FILE = ConfigOptions
            .key(PREFIX + "credentials.web-identity-token-file").stringType().noDefaultValue()
            .withDescription("Token file (provider 'web-identity'); default AWS_WEB_IDENTITY_TOKEN_FILE.");

    public static final ConfigOption<String> ROLE_SESSION_NAME = ConfigOptions.key(PREFIX + "credentials.role-session-name")
            .stringType().noDefaultValue().withDescription("Role session name (provider 'web-identity').");

    public static final ConfigOption<String> SSE = ConfigOptions.key(PREFIX + "sse").stringType().defaultValue("none")
            .withDescription("Server-side encryption: none, sse-s3 or sse-kms.");

    public static final ConfigOption<String> SSE_KMS_KEY_ID = ConfigOptions.key(PREFIX + "sse.kms-key-id").stringType()
            .noDefaultValue().withDescription("KMS key id, alias or ARN for sse-kms; default: the account's S3 key.");

    public static final ConfigOption<String> STORAGE_CLASS = ConfigOptions.key(PREFIX + "storage-class").stringType()
            .noDefaultValue().withDescription("Storage class of written objects, e.g. STANDARD_IA; default: STANDARD.");

    public static final ConfigOption<MemorySize> PART_SIZE = ConfigOptions.key(PREFIX + "upload.part-size")
            .memoryType().defaultValue(MemorySize.ofMebiBytes(16))
            .withDescription("Size of the multipart upload parts (at least 5 MiB).");

    public static final ConfigOption<Integer> UPLOAD_THREADS = ConfigOptions.key(PREFIX + "upload.threads").intType()
            .defaultValue(4).withDescription("Parts uploaded at once per writer subtask.");

    public static final ConfigOption<Integer> REQUEST_THREADS = ConfigOptions.key(PREFIX + "upload.request-threads")
            .intType().defaultValue(16)
            .withDescription("Requests of closing and persisting part files in flight at once per writer subtask (last "
                    + "parts, staged tails); a checkpoint may close many small files at once.");

    public static final ConfigOption<Integer> MAX_QUEUED_PARTS = ConfigOptions.key(PREFIX + "upload.max-queued-parts")
            .intType().defaultValue(8)
            .withDescription("Full parts waiting for an upload thread per writer subtask; past it, writing blocks.");

    public static final ConfigOption<MemorySize> BUFFER_MEMORY = ConfigOptions.key(PREFIX + "buffer.memory")
            .memoryType().defaultValue(MemorySize.ofMebiBytes(128))
            .withDescription("Heap for part buffers per writer subtask; past it, parts are buffered in local files.");

    public static final ConfigOption<String> SPILL_DIRECTORY = ConfigOptions.key(PREFIX + "buffer.spill-directory")
            .stringType().noDefaultValue()
            .withDescription("Local folder for part buffers over the memory budget; default: java.io.tmpdir.");

    public static final ConfigOption<MemorySize> INLINE_TAIL_LIMIT = ConfigOptions.key(PREFIX + "checkpoint.inline-tail-limit")
            .memoryType().defaultValue(new MemorySize(64 * 1024))
            .withDescription("Tails up to this size are kept in the checkpoint instead of a staging object (0: never).");

    public static final ConfigOption<MemorySize> SINGLE_PUT_LIMIT = ConfigOptions.key(PREFIX + "commit.single-put-limit")
            .memoryType().defaultValue(new MemorySize(256 * 1024))
            .withDescription("Part files closed at up to this size are carried in the checkpoint and committed with "
                    + "one conditional PUT instead of a multipart upload (0: always a multipart upload). A file that "
                    + "grows past it starts its multipart upload in the background right away.");

    public static final ConfigOption<MemorySize> INLINE_BUDGET = ConfigOptions.key(PREFIX + "checkpoint.inline-budget")
            .memoryType().defaultValue(MemorySize.ofMebiBytes(4))
            .withDescription("Part file bytes one writer subtask carries in a checkpoint at most (inline tails and "
                    + "single-PUT files); beyond it tails are staged and files uploaded. The default fits Flink's "
                    + "JobManager checkpoint storage (5 MiB per operator); with a checkpoint directory, tens of MiB "
                    + "save many requests when checkpoints close many small files.");

    public static final ConfigOption<String> STAGING_PREFIX = ConfigOptions.key(PREFIX + "staging-prefix").stringType()
            .noDefaultValue()
            .withDescription("Key prefix for staging objects (persisted tails); default: <base path>/_filesink-staging/.");

    public static final ConfigOption<Boolean> CONDITIONAL_WRITES = ConfigOptions.key(PREFIX + "conditional-writes")
            .booleanType().defaultValue(true)
            .withDescription("Commit with If-None-Match: * so an existing object is never overwritten.");

    public static final ConfigOption<Boolean> CHECKSUMS = ConfigOptions.key(PREFIX + "checksums").booleanType()
            .defaultValue(true)
            .withDescription("Let the SDK send and verify its default integrity checksums (CRC) where supported.");

    public static final ConfigOption<Integer> RETRY_MAX_ATTEMPTS = ConfigOptions.key(PREFIX + "retry.max-attempts")
            .intType().defaultValue(10).withDescription("Attempts per S3 request (1: no retries).");

    public static final ConfigOption<Duration> RETRY_BASE_DELAY = ConfigOptions.key(PREFIX + "retry.base-delay")
            .durationType().defaultValue(Duration.ofMillis(100)).withDescription("First backoff between attempts.");

    public static final ConfigOption<Duration> RETRY_MAX_DELAY = ConfigOptions.key(PREFIX + "retry.max-delay")
            .durationType().defaultValue(Duration.ofSeconds(10)).withDescription("Longest backoff between attempts.");

    public static final ConfigOption<Duration> API_CALL_TIMEOUT = ConfigOptions.key(PREFIX + "timeout.api-call")
            .durationType().noDefaultValue().withDescription("Time limit of one request including its retries.");

    public static final ConfigOption<Duration> API_CALL_ATTEMPT_TIMEOUT = ConfigOptions
            .key(PREFIX + "timeout.api-call-attempt").durationType().noDefaultValue()
            .withDescription("Time limit of one attempt of a request.");

    public static final ConfigOption<Duration> CONNECTION_TIMEOUT = ConfigOptions.key(PREFIX + "timeout.connection")
            .durationType().defaultValue(Duration.ofSeconds(10)).withDescription("Time limit to open a connection.");

    public static final ConfigOption<Duration> SOCKET_TIMEOUT = ConfigOptions.key(PREFIX + "timeout.socket")
            .durationType().defaultValue(Duration.ofSeconds(60))
            .withDescription("Time limit for data to arrive on an open connection.");

    /**
     * The keys {@link dev.filesink.s3.S3Destination} keeps as they are (all but credentials and encryption, which
     * become {@link S3Credentials} and {@link ServerSideEncryption}).
     */
    public static final List<ConfigOption<?>> SETTINGS = List.of(REGION, ENDPOINT, PATH_STYLE_ACCESS, STORAGE_CLASS,
            PART_SIZE, UPLOAD_THREADS, REQUEST_THREADS, MAX_QUEUED_PARTS, BUFFER_MEMORY, SPILL_DIRECTORY,
            INLINE_TAIL_LIMIT, SINGLE_PUT_LIMIT, INLINE_BUDGET, STAGING_PREFIX, CONDITIONAL_WRITES, CHECKSUMS,
            RETRY_MAX_ATTEMPTS, RETRY_BASE_DELAY, RETRY_MAX_DELAY, API_CALL_TIMEOUT, API_CALL_ATTEMPT_TIMEOUT,
            CONNECTION_TIMEOUT, SOCKET_TIMEOUT);
}
