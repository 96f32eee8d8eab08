package dev.filesink.s3.it;

import dev.filesink.s3.testing.S3Server;
import dev.filesink.testing.FinishedFiles;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Reads what the sink left in a bucket and checks it against exactly-once. */
final class S3Objects {

    private S3Objects() {}

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
