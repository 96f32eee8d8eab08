package dev.filesink.s3.commit;

import dev.filesink.s3.S3Destination;
import dev.filesink.s3.client.S3Operations;
import dev.filesink.s3.writer.S3Recoverable;
import dev.filesink.s3.writer.StagingLayout;
import dev.filesink.storage.CommitOutcome;

import java.io.FileNotFoundException;
import java.io.IOException;

/**
 * Part files written under a hidden name (compacting sinks): finishing one there, so that it can be read and
 * copied in the store while no reader sees it, and removing what it left there.
 */
public final class HiddenObjects {

    private final S3Operations operations;
    private final S3Committer committer;

    public HiddenObjects(S3Operations operations, S3Destination destination, StagingLayout staging) {
        this.operations = operations;
        this.committer = new S3Committer(operations, destination, staging);
    }

    /**
     * Whether the file's whole content is in its state (a small file closed for commit): it is never put under its
     * hidden name, as everything that needs its bytes has them already.
     */
    public static boolean carriesItsContent(S3Recoverable file) {
        return !file.hasUpload() && file.inlineTail() != null && file.stagingKey() == null && !file.fromPersist();
    }

    /**
     * Makes the hidden object whole (completes its upload, or puts its content), exactly as a commit does at a final
     * key, idempotent: a hidden object that an earlier attempt finished is recognized by its token or ETag.
     *
     * @return whether an earlier attempt had finished it already
     * @throws FileNotFoundException if neither its upload nor a finished hidden object exists
     */
    public boolean finish(S3Recoverable file) throws IOException {
        requireHidden(file);
        return committer.commit(file.atItsOwnKey()) == CommitOutcome.ALREADY_COMMITTED;
    }

    /**
     * Bytes that {@link #finish} moves through this process when it does the work: the tail a persisted state
     * carries (uploaded as the last part, or as the whole object), and downloaded first when it is staged. A file
     * closed for commit has none: its last part was uploaded when it was closed.
     */
    public static long bytesToFinish(S3Recoverable file) {
        long bytes = file.hasUpload() ? file.tailLength() : file.length();
        return file.stagingKey() != null ? 2 * bytes : bytes;
    }

    /** Deletes the hidden object, its open upload and its staged tail; what is already gone is fine. */
    public void discard(S3Recoverable file) throws IOException {
        requireHidden(file);
        if (file.hasUpload()) {
            operations.abort(file.bucket(), file.key(), file.uploadId());
        }
        if (!carriesItsContent(file)) {
            operations.delete(file.bucket(), file.key());
        }
        if (file.stagingKey() != null) {
            operations.delete(file.bucket(), file.stagingKey());
        }
    }

    private static void requireHidden(S3Recoverable file) throws IOException {
        if (!file.isHidden()) {
            throw new IOException("Part file " + file + " is not kept under a hidden name");
        }
    }
}
