package dev.filesink.s3.client;

import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InterruptedIOException;

/**
 * Turns SDK exceptions into {@link IOException}s whose message names the action, bucket and key (never
 * credentials), and whose type tells the caller what happened.
 */
public final class S3Errors {

    private S3Errors() {}

    /** The multipart upload does not exist (completed, aborted, or never created). */
    public static final class NoSuchUploadException extends FileNotFoundException {
        private static final long serialVersionUID = 1L;

        NoSuchUploadException(String message) {
            super(message);
        }
    }

    /** A conditional request failed: with {@code If-None-Match: *}, an object already exists at the key. */
    public static final class PreconditionFailedException extends IOException {
        private static final long serialVersionUID = 1L;

        PreconditionFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The credentials were rejected or lack a permission. */
    public static final class AccessDeniedException extends IOException {
        private static final long serialVersionUID = 1L;

        AccessDeniedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    public static IOException translate(String action, String bucket, String key, SdkException e) {
        String where = "s3://" + bucket + (key == null ? "" : "/" + key);
        if (e instanceof AbortedException || Thread.currentThread().isInterrupted()) {
            InterruptedIOException interrupted = new InterruptedIOException(action + " " + where + " was interrupted");
            interrupted.initCause(e);
            return interrupted;
        }
        if (e instanceof S3Exception) {
            S3Exception s3 = (S3Exception) e;
            int status = s3.statusCode();
            String code = s3.awsErrorDetails() != null ? s3.awsErrorDetails().errorCode() : null;
            String message = action + " " + where + " failed: HTTP " + status + (code != null ? " " + code : "")
                    + (s3.requestId() != null ? " (request id " + s3.requestId() + ")" : "");
            if ("NoSuchUpload".equals(code)) {
                NoSuchUploadException notFound = new NoSuchUploadException(message);
                notFound.initCause(e);
                return notFound;
            }
            if (status == 404) {
                FileNotFoundException notFound = new FileNotFoundException(message);
                notFound.initCause(e);
                return notFound;
            }
            if (status == 412 || "PreconditionFailed".equals(code)) {
                return new PreconditionFailedException(message, e);
            }
            if (status == 403 || status == 401) {
                return new AccessDeniedException(message + ": access denied; check the credentials and that they "
                        + "allow this action on the bucket", e);
            }
            return new IOException(message, e);
        }
        return new IOException(action + " " + where + " failed: " + e.getMessage(), e);
    }

    /** Whether the exception (or a cause) says that the object or upload does not exist. */
    public static boolean isNotFound(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof FileNotFoundException) {
                return true;
            }
        }
        return false;
    }
}
