package dev.filesink.azure.client;

import java.io.IOException;

/**
 * A failed Blob Storage request, with its HTTP status and error code kept for the caller's decisions, and a message
 * (and cause chain) from which every secret was removed.
 */
public class AzureStorageException extends IOException {

    private static final long serialVersionUID = 1L;

    private final int statusCode;
    private final String errorCode;

    public AzureStorageException(String message, int statusCode, String errorCode, Throwable sanitizedCause) {
        super(message, sanitizedCause);
        this.statusCode = statusCode;
        this.errorCode = errorCode == null ? "" : errorCode;
    }

    /** The HTTP status, or 0 if no response was received (network failure, timeout). */
    public int statusCode() {
        return statusCode;
    }

    /** The service's error code (e.g. {@code ContainerNotFound}), or "". */
    public String errorCode() {
        return errorCode;
    }
}
