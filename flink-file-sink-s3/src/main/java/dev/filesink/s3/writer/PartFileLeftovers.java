package dev.filesink.s3.writer;

import dev.filesink.s3.client.S3Operations;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import software.amazon.awssdk.services.s3.model.MultipartUpload;

import javax.annotation.Nullable;

import java.io.IOException;

/**
 * What earlier incarnations of one part file may have left in S3 beyond what its state names: staged tails of other
 * persists (the one the previous writer superseded but had not deleted yet, those of checkpoints that never
 * completed) and multipart uploads started after the checkpoint. Staged tails carry the part file's key and random
 * token, and the key belongs to this part file alone, so nothing of another file is touched.
 */
public final class PartFileLeftovers {

    private static final Logger LOG = LoggerFactory.getLogger(PartFileLeftovers.class);

    private final S3Operations operations;
    private final StagingLayout staging;

    public PartFileLeftovers(S3Operations operations, StagingLayout staging) {
        this.operations = operations;
        this.staging = staging;
    }

    /**
     * Deletes the file's staged tails other than {@code keep} (null: all of them).
     *
     * @return how many were deleted
     */
    public int deleteTailsExcept(S3Recoverable file, @Nullable String keep) throws IOException {
        int deleted = 0;
        for (String key : operations.listKeys(file.bucket(), staging.tailPrefix(file.key(), file.token()))) {
            if (!key.equals(keep)) {
                operations.delete(file.bucket(), key);
                deleted++;
            }
        }
        return deleted;
    }

    /**
     * Aborts the multipart uploads at the file's key other than {@code keepUploadId} (null: all of them).
     *
     * @return how many were aborted
     */
    public int abortUploadsExcept(S3Recoverable file, @Nullable String keepUploadId) throws IOException {
        int aborted = 0;
        for (MultipartUpload open : operations.listUploads(file.bucket(), file.key())) {
            if (open.key().equals(file.key()) && !open.uploadId().equals(keepUploadId)) {
                LOG.info("Aborting multipart upload {} of s3://{}/{}: no state of this part file names it",
                        open.uploadId(), file.bucket(), file.key());
                operations.abort(file.bucket(), file.key(), open.uploadId());
                aborted++;
            }
        }
        return aborted;
    }
}
