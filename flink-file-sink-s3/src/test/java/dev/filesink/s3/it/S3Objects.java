package dev.filesink.s3.it;

import dev.filesink.s3.testing.S3Server;
import dev.filesink.testing.FinishedFiles;
import dev.filesink.testing.VisibleOutputWatcher;

import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** Reads what the sink left in a bucket and checks it against exactly-once. */
final class S3Objects {

    /** s3proxy's in-memory store lists open multipart uploads as {@code <key>-<upload id>}; S3 does not. */
    private static final Pattern IN_PROGRESS_UPLOAD =
            Pattern.compile(".*-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private S3Objects() {}

    /**
     * Watches the final objects below the prefix while a job runs: none may change (ETag) or disappear once visible,
     * and none may appear while {@code mayBeVisible} says no. It is asked before each listing, so an object listed
     * while it still said no counts as too early even if a checkpoint completes during the listing.
     */
    static VisibleOutputWatcher watch(S3Server server, String bucket, String prefix, BooleanSupplier mayBeVisible) {
        AtomicBoolean allowed = new AtomicBoolean();
        return new VisibleOutputWatcher("visible-objects", () -> {
            allowed.set(mayBeVisible.getAsBoolean());
            Map<String, String> etags = new LinkedHashMap<>();
            for (S3Object object : server.client().listObjectsV2Paginator(
                    ListObjectsV2Request.builder().bucket(bucket).prefix(prefix).build()).contents()) {
                if (!object.key().contains("/_filesink-staging/") && !IN_PROGRESS_UPLOAD.matcher(object.key()).matches()
                        && !isHidden(object.key())) {
                    etags.put(object.key(), object.eTag());
                }
            }
            return etags;
        }, key -> {
            if (!allowed.get()) {
                throw new AssertionError("became visible before any checkpoint completed (seen at "
                        + java.time.Instant.now() + ")");
            }
        }, 50);
    }

    /** Whether readers skip the object: its name starts with a dot (compacting sinks' files before their commit). */
    static boolean isHidden(String key) {
        return key.substring(key.lastIndexOf('/') + 1).startsWith(".");
    }

    /** Final objects below the prefix: everything but the staging folder. */
    static List<String> finished(S3Server server, String bucket, String prefix) {
        List<String> keys = new ArrayList<>();
        for (String key : server.keys(bucket, prefix)) {
            if (!key.contains("/_filesink-staging/")) {
                keys.add(key);
            }
        }
        return keys;
    }

    static List<String> lines(S3Server server, String bucket, String prefix) {
        List<String> lines = new ArrayList<>();
        for (String key : finished(server, bucket, prefix)) {
            String content = server.read(bucket, key);
            if (!content.isEmpty()) {
                lines.addAll(Arrays.asList(content.split("\n", -1)).subList(0, content.split("\n", -1).length - 1));
                assertThat(content).as("object %s ends with a whole record", key).endsWith("\n");
            }
        }
        return lines;
    }

    /** Every record exactly once in final objects; no staging object and no open upload left. */
    static void assertExactlyOnce(S3Server server, String bucket, String prefix, long count) {
        FinishedFiles.assertRecordsExactlyOnce(lines(server, bucket, prefix), count);
        assertThat(server.keys(bucket, prefix + "_filesink-staging/")).as("staging objects left").isEmpty();
        assertThat(server.openUploads(bucket, prefix)).as("multipart uploads left open").isEmpty();
    }
}
