package dev.filesink.s3.config;

import java.io.Serializable;
import java.util.Locale;

/** Server-side encryption of the objects the sink writes (multipart uploads and staging objects alike). */
public final class ServerSideEncryption implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The kinds of server-side encryption. */
    public enum Kind {
        /** The bucket's default encryption applies. */
        NONE,
        /** SSE-S3: keys managed by S3 (AES256). */
        SSE_S3,
        /** SSE-KMS: keys in AWS KMS, optionally a given key. */
        SSE_KMS
    }

    private static final ServerSideEncryption NONE = new ServerSideEncryption(Kind.NONE, null);

    private final Kind kind;
    private final String kmsKeyId;

    private ServerSideEncryption(Kind kind, String kmsKeyId) {
        this.kind = kind;
        this.kmsKeyId = kmsKeyId;
    }

    public static ServerSideEncryption none() {
        return NONE;
    }

    public static ServerSideEncryption sseS3() {
        return new ServerSideEncryption(Kind.SSE_S3, null);
    }

    /** SSE-KMS with the given key (id, alias or ARN), or the account's default S3 key when null. */
    public static ServerSideEncryption sseKms(String kmsKeyId) {
        return new ServerSideEncryption(Kind.SSE_KMS, kmsKeyId == null || kmsKeyId.isEmpty() ? null : kmsKeyId);
    }

    /** Parses {@code none}, {@code sse-s3} or {@code sse-kms} (case-insensitive). */
    public static ServerSideEncryption parse(String kind, String kmsKeyId) {
        String normalized = kind == null ? "none" : kind.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        switch (normalized) {
            case "":
            case "none":
                if (kmsKeyId != null && !kmsKeyId.isEmpty()) {
                    throw new IllegalArgumentException("server-side encryption: a KMS key id is set, but the "
                            + "encryption is 'none'; set it to 'sse-kms'");
                }
                return NONE;
            case "sse-s3":
            case "aes256":
                return sseS3();
            case "sse-kms":
            case "aws:kms":
                return sseKms(kmsKeyId);
            default:
                throw new IllegalArgumentException("server-side encryption: unknown kind '" + kind
                        + "'; expected none, sse-s3 or sse-kms");
        }
    }

    public Kind kind() {
        return kind;
    }

    public String kmsKeyId() {
        return kmsKeyId;
    }

    /**
     * Whether the ETag of an object is the MD5 of its content (and a multipart ETag derives from its parts' MD5s):
     * true unless the object is encrypted with KMS.
     */
    public boolean etagIsContentMd5() {
        return kind != Kind.SSE_KMS;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ServerSideEncryption && ((ServerSideEncryption) o).kind == kind
                && java.util.Objects.equals(((ServerSideEncryption) o).kmsKeyId, kmsKeyId);
    }

    @Override
    public int hashCode() {
        return kind.hashCode();
    }

    @Override
    public String toString() {
        return kind == Kind.SSE_KMS && kmsKeyId != null ? "SSE_KMS(" + kmsKeyId + ")" : kind.name();
    }
}
