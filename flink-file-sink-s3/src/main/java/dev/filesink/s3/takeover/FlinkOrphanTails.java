package dev.filesink.s3.takeover;

import dev.filesink.s3.S3Location;
import dev.filesink.s3.client.S3Operations;
import dev.filesink.storage.OrphanFilter;

import software.amazon.awssdk.services.s3.model.MultipartUpload;

import java.io.IOException;

/**
 * Deletes the tail objects of part files that Flink's sink opened after the restored checkpoint: the core names them
 * orphans by their final name, the S3 storage aborts their uploads, and this removes what Flink's persists put beside
 * them. Flink starts an upload when it opens a file, so the open uploads find them without listing the whole prefix.
 * Runs before the uploads are aborted, so a restart in between finds them again.
 */
public final class FlinkOrphanTails {

    private final S3Operations operations;
    private final S3Location base;
    private final String stagingPrefix;

    public FlinkOrphanTails(S3Operations operations, S3Location base, String stagingPrefix) {
        this.operations = operations;
        this.base = base;
        this.stagingPrefix = stagingPrefix;
    }

    /** @return how many tail objects were deleted */
    public int discard(OrphanFilter filter) throws IOException {
        FlinkTailObjects tails = new FlinkTailObjects(operations);
        int deleted = 0;
        for (MultipartUpload upload : operations.listUploads(base.bucket(), base.folderPrefix())) {
            String key = upload.key();
            if (!key.startsWith(stagingPrefix) && filter.isOrphan(key.substring(key.lastIndexOf('/') + 1))) {
                deleted += tails.deleteTailsOf(base.bucket(), key, null);
            }
        }
        return deleted;
    }
}
