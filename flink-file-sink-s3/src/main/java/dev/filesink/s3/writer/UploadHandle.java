package dev.filesink.s3.writer;

import dev.filesink.s3.client.S3Operations;

import java.io.IOException;

/**
 * The multipart upload behind one part file, started only when the first part is uploaded: small part files that
 * are committed in a single PUT never start one. Whichever upload thread gets here first starts it (an early start
 * once the file outgrows a single PUT, or its first part).
 */
final class UploadHandle {

    private final String bucket;
    private final String key;
    private final String token;
    /** Read without the lock: the writer must not wait behind an upload creation in flight. */
    private volatile String uploadId;

    UploadHandle(String bucket, String key, String token, String uploadId) {
        this.bucket = bucket;
        this.key = key;
        this.token = token;
        this.uploadId = uploadId;
    }

    synchronized String ensureStarted(S3Operations operations) throws IOException {
        if (uploadId == null) {
            uploadId = operations.createUpload(bucket, key, token);
        }
        return uploadId;
    }

    /** The upload id, or null if no upload was started (yet). */
    String uploadId() {
        return uploadId;
    }
}
