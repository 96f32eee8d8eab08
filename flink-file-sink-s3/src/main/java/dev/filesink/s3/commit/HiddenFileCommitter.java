package dev.filesink.s3.commit;

import dev.filesink.s3.S3Destination;
import dev.filesink.s3.client.S3Errors;
import dev.filesink.s3.client.S3Operations;
import dev.filesink.s3.writer.S3Recoverable;
import dev.filesink.s3.writer.StagingLayout;
import dev.filesink.storage.CommitConflictException;
import dev.filesink.storage.CommitOutcome;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Commits a part file written under a hidden name: finishes it there, copies it in the store to its final key with a
 * multipart upload of {@code UploadPartCopy} parts completed with {@code If-None-Match: *} (the same conditional
 * write as every commit; the copy carries the file's token), then deletes the hidden object.
 *
 * <p>Every step may have been done by an earlier attempt. The final key is looked at first: an object there with
 * this file's token is this file committed before (then only the hidden leftovers go); any other object is a
 * conflict, and the hidden object stays. A small file whose content is in its state is put at its final key directly.
 */
public final class HiddenFileCommitter {

    private static final Logger LOG = LoggerFactory.getLogger(HiddenFileCommitter.class);

    private final S3Operations operations;
    private final S3Destination destination;
    private final S3Committer committer;
    private final HiddenObjects hidden;

    public HiddenFileCommitter(S3Operations operations, S3Destination destination, StagingLayout staging) {
        this.operations = operations;
        this.destination = destination;
        this.committer = new S3Committer(operations, destination, staging);
        this.hidden = new HiddenObjects(operations, destination, staging);
    }

    public CommitOutcome commit(S3Recoverable file) throws IOException {
        if (HiddenObjects.carriesItsContent(file)) {
            // Nothing was ever put under the hidden name: one conditional PUT at the final key, as for any small file.
            return committer.commit(new S3Recoverable(file.bucket(), file.finalKey(), null, file.token(), List.of(),
                    file.inlineTail(), null, file.tailLength(), file.length(), false));
        }
        Optional<HeadObjectResponse> existing = operations.head(file.bucket(), file.finalKey());
        if (existing.isPresent()) {
            if (!isOurs(file, existing.get())) {
                throw conflict(file, existing.get());
            }
            // Copied by an earlier attempt; its hidden object or a copy upload may be left.
            abortCopyUploads(file);
            hidden.discard(file);
            return CommitOutcome.ALREADY_COMMITTED;
        }
        hidden.finish(file);
        // An earlier attempt may have started a copy and failed before completing it. (Whether the hidden object was
        // finished before cannot tell: S3 may answer a repeated completion of an upload with success.)
        abortCopyUploads(file);
        CommitOutcome outcome = copyToFinalKey(file);
        operations.delete(file.bucket(), file.key());
        return outcome;
    }

    private CommitOutcome copyToFinalKey(S3Recoverable file) throws IOException {
        String bucket = file.bucket();
        String target = file.finalKey();
        if (file.length() == 0) {
            // UploadPartCopy cannot copy an empty range.
            try {
                operations.putFinal(bucket, target, new byte[0], file.token(), destination.conditionalWrites());
                return CommitOutcome.COMMITTED;
            } catch (S3Errors.PreconditionFailedException e) {
                return alreadyThere(file, e);
            }
        }
        String uploadId = operations.createUpload(bucket, target, file.token());
        try {
            List<CompletedPart> parts = new ArrayList<>();
            for (CopyRanges.Range range : CopyRanges.of(0, file.length())) {
                int number = parts.size() + 1;
                String etag = operations.uploadPartCopy(bucket, file.key(), range.first(), range.last(), target,
                        uploadId, number);
                parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
            }
            operations.complete(bucket, target, uploadId, parts, destination.conditionalWrites());
            return CommitOutcome.COMMITTED;
        } catch (S3Errors.PreconditionFailedException e) {
            abortQuietly(bucket, target, uploadId);
            return alreadyThere(file, e);
        } catch (IOException | RuntimeException e) {
            abortQuietly(bucket, target, uploadId);
            throw e;
        }
    }

    /** After a refused conditional write at the final key: ours (an earlier attempt's copy) or a conflict. */
    private CommitOutcome alreadyThere(S3Recoverable file, IOException refusal) throws IOException {
        Optional<HeadObjectResponse> existing = operations.head(file.bucket(), file.finalKey());
        if (existing.isEmpty()) {
            throw new IOException("Commit of s3://" + file.bucket() + '/' + file.finalKey() + " was refused, but no "
                    + "object is there now; will retry", refusal);
        }
        if (!isOurs(file, existing.get())) {
            throw conflict(file, existing.get());
        }
        operations.delete(file.bucket(), file.key());
        return CommitOutcome.ALREADY_COMMITTED;
    }

    private static boolean isOurs(S3Recoverable file, HeadObjectResponse existing) {
        return file.token().equals(existing.metadata().get(S3Operations.UPLOAD_TOKEN_METADATA));
    }

    private static CommitConflictException conflict(S3Recoverable file, HeadObjectResponse existing) {
        return new CommitConflictException("Cannot commit part file s3://" + file.bucket() + '/' + file.finalKey()
                + ": an object that this sink did not write is already there (ETag " + existing.eTag() + ", "
                + existing.contentLength() + " bytes); it is left unchanged, and the pending file's hidden object s3://"
                + file.bucket() + '/' + file.key() + " is kept for inspection");
    }

    /** Copy uploads at the final key: only this file's commits start uploads there (final names never repeat). */
    private void abortCopyUploads(S3Recoverable file) throws IOException {
        for (MultipartUpload open : operations.listUploads(file.bucket(), file.finalKey())) {
            if (open.key().equals(file.finalKey())) {
                LOG.info("Aborting copy upload {} of s3://{}/{}, left by an earlier attempt of its commit",
                        open.uploadId(), file.bucket(), file.finalKey());
                operations.abort(file.bucket(), file.finalKey(), open.uploadId());
            }
        }
    }

    private void abortQuietly(String bucket, String key, String uploadId) {
        try {
            operations.abort(bucket, key, uploadId);
        } catch (IOException | RuntimeException e) {
            LOG.warn("Could not abort copy upload {} of s3://{}/{} (the next restore's clean-up removes it): {}",
                    uploadId, bucket, key, e.toString());
        }
    }
}
