package dev.filesink.s3.takeover;

import dev.filesink.s3.client.S3Operations;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The objects in which Flink's S3 file systems keep the unfinished part of a persisted part file, one per persist:
 * {@code flink-s3-fs-hadoop} beside the file ({@code <folder>/_<name>_tmp_<uuid>}), {@code flink-s3-fs-native} below
 * its key ({@code <key>/.incomplete/<upload id>/<uuid>}). Flink deletes a superseded one through its committer, never
 * the last one; after a takeover they are ours to delete.
 */
final class FlinkTailObjects {

    private static final Logger LOG = LoggerFactory.getLogger(FlinkTailObjects.class);
    private static final Pattern UUID =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private final S3Operations operations;

    FlinkTailObjects(S3Operations operations) {
        this.operations = operations;
    }

    /** The key prefixes below which the two file systems write tail objects of the part file at {@code key}. */
    static List<String> prefixesOf(String key) {
        int slash = key.lastIndexOf('/');
        return List.of(key.substring(0, slash + 1) + '_' + key.substring(slash + 1) + "_tmp_", key + "/.incomplete/");
    }

    /** Whether {@code candidate} is one of Flink's tail objects of the part file at {@code key}. */
    static boolean isTailOf(String key, String candidate) {
        if (candidate == null) {
            return false;
        }
        List<String> prefixes = prefixesOf(key);
        if (candidate.startsWith(prefixes.get(0))) {
            return UUID.matcher(candidate.substring(prefixes.get(0).length())).matches();
        }
        if (candidate.startsWith(prefixes.get(1))) {
            String rest = candidate.substring(prefixes.get(1).length());
            int slash = rest.lastIndexOf('/');
            return slash > 0 && UUID.matcher(rest.substring(slash + 1)).matches();
        }
        return false;
    }

    /**
     * Deletes Flink's tail objects of the part file, except {@code keep}: those of persists after the restored
     * checkpoint, of earlier ones that it superseded, or all of them for a file Flink opened after it.
     *
     * @return how many were deleted
     */
    int deleteTailsOf(String bucket, String key, String keep) throws IOException {
        int deleted = 0;
        for (String prefix : prefixesOf(key)) {
            for (String candidate : operations.listKeys(bucket, prefix)) {
                if (!candidate.equals(keep) && isTailOf(key, candidate)) {
                    LOG.info("Deleting s3://{}/{}: the unfinished part of a persist of Flink's that no restored state"
                            + " names", bucket, candidate);
                    operations.delete(bucket, candidate);
                    deleted++;
                }
            }
        }
        return deleted;
    }
}
