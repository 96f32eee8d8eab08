package dev.filesink.s3.commit;

import dev.filesink.s3.S3Destination;
import dev.filesink.s3.client.S3Errors;
import dev.filesink.s3.client.S3Operations;
import dev.filesink.s3.writer.ETags;
import dev.filesink.s3.writer.PartFileLeftovers;
import dev.filesink.s3.writer.S3Recoverable;
import dev.filesink.s3.writer.StagingLayout;
import dev.filesink.s3.writer.UploadedPart;
import dev.filesink.storage.CommitConflictException;
import dev.filesink.storage.CommitOutcome;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

import java.io.ByteArrayInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Makes a part file visible at its final key, exactly once and never over an object the sink did not write.
 *
 * <p>A file with an upload: the tail (if the state has one) becomes the last part, then
 * {@code CompleteMultipartUpload} with {@code If-None-Match: *}. A file without one (small files): a single
 * {@code PutObject} with {@code If-None-Match: *}. When S3 answers that an object exists (412) or that the upload is
 * gone (404), the existing object is ours if its ETag is the one these parts produce or its metadata carries this
 * file's token: that is a commit replayed after a restore, or the SDK's retry of a completion whose response was
 * lost. Anything else there is a conflict, left unchanged.
 */
public final class S3Committer {

    private static final Logger LOG = LoggerFactory.getLogger(S3Committer.class);

    private final S3Operations operations;
    private final S3Destination destination;
    private final PartFileLeftovers leftovers;

    public S3Committer(S3Operations operations, S3Destination destination, StagingLayout staging) {
        this.operations = operations;
        this.destination = destination;
        this.leftovers = new PartFileLeftovers(operations, staging);
    }

    public CommitOutcome commit(S3Recoverable file) throws IOException {
        boolean conditional = destination.conditionalWrites();
        CommitOutcome outcome = null;
        if (!conditional) {
            // Without conditional writes, look first; a writer racing in between is not detected.
            Optional<HeadObjectResponse> existing = operations.head(file.bucket(), file.key());
            if (existing.isPresent()) {
                outcome = alreadyThere(file, existing.get(), expectedEtag(file, null));
            }
        }
        if (outcome == null) {
            outcome = file.hasUpload() ? completeUpload(file, conditional) : putWhole(file, conditional);
        }
        cleanUpAfterCommit(file);
        return outcome;
    }

    /**
     * Once the file is committed, none of its staging objects can be resumed from. A file closed by its writer has
     * at most the one its state names. A file committed from a persisted state (a restored writer took it over
     * instead of resuming it) may have more: the writer that superseded them is gone, so nobody else deletes them,
     * nor an upload the failed attempt started at the key.
     */
    private void cleanUpAfterCommit(S3Recoverable file) {
        if (!file.fromPersist()) {
            deleteStagedTail(file);
            return;
        }
        try {
            int tails = leftovers.deleteTailsExcept(file, null);
            int uploads = leftovers.abortUploadsExcept(file, null);
            if (tails + uploads > 0) {
                LOG.info("Committed s3://{}/{} from a restored in-progress state; deleted {} staging objects and "
                        + "aborted {} uploads it left", file.bucket(), file.key(), tails, uploads);
            }
        } catch (IOException e) {
            LOG.warn("Could not delete the staging objects of s3://{}/{} after its commit (the next restore's "
                    + "clean-up or a lifecycle rule removes them): {}", file.bucket(), file.key(), e.toString());
        }
    }

    private CommitOutcome putWhole(S3Recoverable file, boolean conditional) throws IOException {
        byte[] content;
        try {
            content = tail(file);
        } catch (FileNotFoundException e) {
            return verifyExisting(file, null, "its staged content is gone", e);
        }
        try {
            operations.putFinal(file.bucket(), file.key(), content, file.token(), conditional);
            return CommitOutcome.COMMITTED;
        } catch (S3Errors.PreconditionFailedException e) {
            return verifyExisting(file, ETags.ofContent(content), "an object exists at the key", e);
        }
    }

    private CommitOutcome completeUpload(S3Recoverable file, boolean conditional) throws IOException {
        List<UploadedPart> parts = new ArrayList<>(file.parts());
        if (file.hasTail()) {
            try {
                byte[] tail = tail(file);
                int number = file.nextPartNumber();
                String etag = operations.uploadPart(file.bucket(), file.key(), file.uploadId(), number,
                        () -> new ByteArrayInputStream(tail), tail.length);
                parts.add(new UploadedPart(number, etag, tail.length));
            } catch (FileNotFoundException e) {
                // The upload (or the staged tail) is gone: fine if a replayed commit finds its object.
                return verifyExisting(file, null, "its upload or staged tail is gone", e);
            }
        }
        List<CompletedPart> completed = new ArrayList<>(parts.size());
        for (UploadedPart part : parts) {
            completed.add(CompletedPart.builder().partNumber(part.number()).eTag(part.etag()).build());
        }
        String expected = destination.serverSideEncryption().etagIsContentMd5() ? ETags.ofMultipart(parts) : null;
        try {
            operations.complete(file.bucket(), file.key(), file.uploadId(), completed, conditional);
            return CommitOutcome.COMMITTED;
        } catch (S3Errors.PreconditionFailedException e) {
            return verifyExisting(file, expected, "an object exists at the key", e);
        } catch (S3Errors.NoSuchUploadException e) {
            return verifyExisting(file, expected, "its multipart upload no longer exists", e);
        }
    }

    /** After a 412 or 404: the object at the key is either ours (committed before) or a conflict. */
    private CommitOutcome verifyExisting(S3Recoverable file, String expectedEtag, String reason, IOException cause)
            throws IOException {
        Optional<HeadObjectResponse> existing = operations.head(file.bucket(), file.key());
        if (existing.isEmpty()) {
            if (cause instanceof FileNotFoundException) {
                FileNotFoundException lost = new FileNotFoundException("Cannot commit part file s3://" + file.bucket()
                        + '/' + file.key() + ": " + reason + " and no object is at the key; the pending data is lost "
                        + "(was the upload aborted, e.g. by a bucket lifecycle rule?)");
                lost.initCause(cause);
                throw lost;
            }
            throw new IOException("Commit of s3://" + file.bucket() + '/' + file.key() + " was refused (" + reason
                    + "), but no object is there now; will retry", cause);
        }
        return alreadyThere(file, existing.get(), expectedEtag);
    }

    private CommitOutcome alreadyThere(S3Recoverable file, HeadObjectResponse existing, String expectedEtag)
            throws IOException {
        boolean sameEtag = expectedEtag != null && ETags.same(existing.eTag(), expectedEtag);
        boolean sameToken = file.token().equals(existing.metadata().get(S3Operations.UPLOAD_TOKEN_METADATA));
        if (sameEtag || sameToken) {
            LOG.debug("s3://{}/{} was committed before (ETag {})", file.bucket(), file.key(), existing.eTag());
            return CommitOutcome.ALREADY_COMMITTED;
        }
        throw new CommitConflictException("Cannot commit part file s3://" + file.bucket() + '/' + file.key()
                + ": an object that this sink did not write is already there (ETag " + existing.eTag() + ", "
                + existing.contentLength() + " bytes); it is left unchanged"
                + (file.hasUpload() ? ", and the pending upload " + file.uploadId() + " is kept for inspection" : ""));
    }

    /** The ETag the committed object would have, if it can be known before committing. */
    private String expectedEtag(S3Recoverable file, byte[] content) throws IOException {
        if (!destination.serverSideEncryption().etagIsContentMd5()) {
            return null;
        }
        if (!file.hasUpload()) {
            try {
                return ETags.ofContent(content != null ? content : tail(file));
            } catch (FileNotFoundException e) {
                return null;
            }
        }
        if (file.hasTail()) {
            try {
                byte[] tail = tail(file);
                List<UploadedPart> parts = new ArrayList<>(file.parts());
                parts.add(new UploadedPart(file.nextPartNumber(), ETags.ofContent(tail), tail.length));
                return ETags.ofMultipart(parts);
            } catch (FileNotFoundException e) {
                return null;
            }
        }
        return ETags.ofMultipart(file.parts());
    }

    private byte[] tail(S3Recoverable file) throws IOException {
        if (file.inlineTail() != null) {
            return file.inlineTail();
        }
        if (file.stagingKey() != null) {
            return operations.get(file.bucket(), file.stagingKey());
        }
        return new byte[0];
    }

    private void deleteStagedTail(S3Recoverable file) {
        if (file.stagingKey() != null) {
            try {
                operations.delete(file.bucket(), file.stagingKey());
            } catch (IOException e) {
                LOG.warn("Could not delete staging object s3://{}/{}: {}", file.bucket(), file.stagingKey(), e.toString());
            }
        }
    }
}
