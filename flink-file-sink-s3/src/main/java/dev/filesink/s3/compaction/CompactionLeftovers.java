package dev.filesink.s3.compaction;

import dev.filesink.s3.S3Location;
import dev.filesink.s3.client.S3Operations;
import dev.filesink.s3.writer.HiddenKeys;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import software.amazon.awssdk.services.s3.model.MultipartUpload;

import java.io.IOException;
import java.util.Set;

/**
 * Compaction outputs that a failed attempt left half built in one folder, found by their final names: uploads at the
 * final key (concatenations in the store) or at a hidden key (outputs written through the task manager), and hidden
 * objects. Two listings of the folder per compacted group.
 */
public final class CompactionLeftovers {

    private static final Logger LOG = LoggerFactory.getLogger(CompactionLeftovers.class);

    private final S3Operations operations;
    private final S3Location folder;

    public CompactionLeftovers(S3Operations operations, S3Location folder) {
        this.operations = operations;
        this.folder = folder;
    }

    /** @return how many uploads were aborted and objects deleted */
    public int discard(Set<String> finalNames) throws IOException {
        String prefix = folder.folderPrefix();
        int discarded = 0;
        for (MultipartUpload upload : operations.listUploads(folder.bucket(), prefix)) {
            if (belongsTo(upload.key(), prefix, finalNames, true)) {
                LOG.info("Aborting upload {} of s3://{}/{}, left half built by a failed compaction",
                        upload.uploadId(), folder.bucket(), upload.key());
                operations.abort(folder.bucket(), upload.key(), upload.uploadId());
                discarded++;
            }
        }
        for (String key : operations.listKeys(folder.bucket(), prefix + '.')) {
            if (belongsTo(key, prefix, finalNames, false)) {
                LOG.info("Deleting s3://{}/{}, left half built by a failed compaction", folder.bucket(), key);
                operations.delete(folder.bucket(), key);
                discarded++;
            }
        }
        return discarded;
    }

    private static boolean belongsTo(String key, String prefix, Set<String> finalNames, boolean finalKeyToo) {
        String name = key.substring(prefix.length());
        if (name.contains("/")) {
            return false; // a sub-folder's
        }
        String hiddenFor = HiddenKeys.finalKeyOf(key);
        if (hiddenFor != null) {
            return finalNames.contains(hiddenFor.substring(prefix.length()));
        }
        return finalKeyToo && finalNames.contains(name);
    }
}
