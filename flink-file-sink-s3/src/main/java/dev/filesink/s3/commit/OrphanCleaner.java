package dev.filesink.s3.commit;

import dev.filesink.s3.S3Location;
import dev.filesink.s3.client.S3Operations;
import dev.filesink.s3.writer.HiddenKeys;
import dev.filesink.s3.writer.StagingLayout;
import dev.filesink.storage.OrphanFilter;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import software.amazon.awssdk.services.s3.model.MultipartUpload;

import java.io.IOException;

/**
 * Removes what failed attempts of a writer left behind: multipart uploads of part files that no checkpoint
 * references (aborted), their staged tails and the hidden objects of compacting sinks' files (deleted). Which files
 * those are, the core decides by final name; a hidden name counts as the final name it was made for.
 */
public final class OrphanCleaner {

    private static final Logger LOG = LoggerFactory.getLogger(OrphanCleaner.class);

    private final S3Operations operations;
    private final S3Location base;
    private final StagingLayout staging;

    public OrphanCleaner(S3Operations operations, S3Location base, StagingLayout staging) {
        this.operations = operations;
        this.base = base;
        this.staging = staging;
    }

    /** @return how many uploads were aborted and staging objects deleted */
    public int discard(OrphanFilter filter) throws IOException {
        int removed = 0;
        for (MultipartUpload upload : operations.listUploads(base.bucket(), base.folderPrefix())) {
            String key = upload.key();
            if (key.startsWith(staging.prefix())) {
                continue;
            }
            String name = HiddenKeys.visibleName(key.substring(key.lastIndexOf('/') + 1));
            if (filter.isOrphan(name)) {
                LOG.info("Aborting multipart upload {} of s3://{}/{}, left by a failed attempt",
                        upload.uploadId(), base.bucket(), key);
                operations.abort(base.bucket(), key, upload.uploadId());
                removed++;
            }
        }
        for (String key : operations.listKeys(base.bucket(), staging.prefix())) {
            String name = StagingLayout.finalNameOf(key);
            if (name != null && filter.isOrphan(name)) {
                LOG.info("Deleting staging object s3://{}/{}, left by a failed attempt", base.bucket(), key);
                operations.delete(base.bucket(), key);
                removed++;
            }
        }
        // Hidden objects finished by a failed attempt (to be compacted or copied). This lists every object below the
        // base path: one request per 1,000 objects at a restore, as on a file system.
        for (String key : operations.listKeys(base.bucket(), base.folderPrefix())) {
            if (key.startsWith(staging.prefix())) {
                continue;
            }
            String finalKey = HiddenKeys.finalKeyOf(key);
            if (finalKey != null && filter.isOrphan(finalKey.substring(finalKey.lastIndexOf('/') + 1))) {
                LOG.info("Deleting hidden object s3://{}/{}, left by a failed attempt", base.bucket(), key);
                operations.delete(base.bucket(), key);
                removed++;
            }
        }
        return removed;
    }
}
