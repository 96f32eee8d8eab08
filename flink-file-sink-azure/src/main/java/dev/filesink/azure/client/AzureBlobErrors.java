package dev.filesink.azure.client;

import com.azure.core.exception.HttpResponseException;
import com.azure.storage.blob.models.BlobStorageException;

import java.io.IOException;
import java.io.InterruptedIOException;

/**
 * Turns what the Azure SDK throws into {@link AzureStorageException}s whose messages say what failed and why, in
 * words a user can act on, and never carry a secret (the SDK's own messages and causes are redacted copies).
 */
public final class AzureBlobErrors {

    private final Redactor redactor;

    public AzureBlobErrors(Redactor redactor) {
        this.redactor = redactor;
    }

    /**
     * @param action what was being done, e.g. "stage block 3 of blob 'x' in container 'c' of account 'a'"
     */
    public AzureStorageException translate(String action, Throwable error) {
        Throwable root = unwrap(error);
        int status = 0;
        String code = "";
        if (root instanceof BlobStorageException storage) {
            status = storage.getStatusCode();
            code = storage.getErrorCode() == null ? "" : storage.getErrorCode().toString();
        } else if (root instanceof HttpResponseException http && http.getResponse() != null) {
            status = http.getResponse().getStatusCode();
        }
        String message = "Failed to " + action + ": " + explain(status, code, root);
        return new AzureStorageException(redactor.redact(message), status, code, sanitized(root, 0));
    }

    /** Rethrows an interruption as such, so that a cancelled task stops instead of retrying. */
    public static void rethrowIfInterrupted(Throwable error) throws InterruptedIOException {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof InterruptedException || t instanceof InterruptedIOException) {
                Thread.currentThread().interrupt();
                InterruptedIOException interrupted = new InterruptedIOException("Interrupted while talking to Blob Storage");
                throw interrupted;
            }
        }
    }

    private String explain(int status, String code, Throwable root) {
        String base = status > 0 ? "HTTP " + status + (code.isEmpty() ? "" : " " + code) : root.getClass().getSimpleName();
        switch (code) {
            case "ContainerNotFound":
                return base + ": the container does not exist (the sink never creates containers; create it first)";
            case "AuthenticationFailed":
            case "AuthorizationFailure":
                return base + ": the credentials were rejected (check the account name and the account key, SAS "
                        + "token or connection string; a SAS may have expired)";
            case "AuthorizationPermissionMismatch":
            case "AuthorizationResourceTypeMismatch":
            case "AuthorizationServiceMismatch":
            case "InsufficientAccountPermissions":
                return base + ": the credentials may not write here (needs the 'Storage Blob Data Contributor' role, "
                        + "or a SAS with read, add, create and write permissions on blobs)";
            case "AccountIsDisabled":
                return base + ": the storage account is disabled";
            default:
                if (status == 403) {
                    return base + ": access denied (check the credentials and their permissions)";
                }
                String detail = root.getMessage() == null ? "" : firstLine(root.getMessage());
                return detail.isEmpty() ? base : base + ": " + detail;
        }
    }

    private static String firstLine(String text) {
        int newline = text.indexOf('\n');
        String line = newline < 0 ? text : text.substring(0, newline);
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }

    private static Throwable unwrap(Throwable error) {
        Throwable current = error;
        while ((current instanceof java.util.concurrent.ExecutionException
                        || current instanceof java.util.concurrent.CompletionException
                        || current instanceof java.io.UncheckedIOException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    /** A copy of the cause chain with redacted messages and the original stack traces. */
    private Throwable sanitized(Throwable error, int depth) {
        if (error == null || depth > 8) {
            return null;
        }
        IOException copy = new IOException(
                error.getClass().getName() + ": " + redactor.redact(String.valueOf(error.getMessage())),
                sanitized(error.getCause(), depth + 1));
        copy.setStackTrace(error.getStackTrace());
        return copy;
    }
}
