package dev.filesink.s3.it;

import dev.filesink.FileSink;
import dev.filesink.s3.S3Storage;
import dev.filesink.s3.testing.S3Server;
import dev.filesink.testing.RerunContract;
import dev.filesink.testing.RerunScenarios;

import org.apache.flink.api.common.serialization.SimpleStringEncoder;
import org.apache.flink.core.fs.Path;

import software.amazon.awssdk.services.s3.model.MultipartUpload;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Runs that meet each other's objects in one S3 bucket (s3proxy): reruns with one job id, a shared base path. */
class S3RerunITCase extends RerunContract {

    private static final String BUCKET = "reruns";
    private static S3Server server;

    @BeforeAll
    static void startServer() throws Exception {
        server = S3Server.start();
        server.createBucket(BUCKET);
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    @Override
    protected RerunScenarios.StorageUnderTest storage() {
        return new Bucket();
    }

    /** The whole bucket below a prefix: final objects, staging objects, open multipart uploads. */
    private static final class Bucket implements RerunScenarios.StorageUnderTest {

        @Override
        public FileSink.DefaultRowFormatBuilder<String> rowFormat(String dir) {
            return FileSink.forRowFormat(new Path("s3://" + BUCKET + "/" + dir), new SimpleStringEncoder<String>())
                    // Uploads start once a file passes 16 KiB, so a file in progress shows as an open upload.
                    .withStorage(S3Storage.of(server.destination().singlePutLimit(16 * 1024).build()));
        }

        @Override
        public Map<String, byte[]> finished(String dir) {
            Map<String, byte[]> objects = new LinkedHashMap<>();
            // s3proxy's in-memory store also lists an open multipart upload as an object named <key>-<upload id>.
            Set<String> uploadObjects = new HashSet<>();
            for (MultipartUpload upload : server.openUploads(BUCKET, dir + "/")) {
                uploadObjects.add(upload.key() + "-" + upload.uploadId());
            }
            for (String key : S3Objects.finished(server, BUCKET, dir + "/")) {
                if (uploadObjects.contains(key)) {
                    continue;
                }
                objects.put(key.substring(dir.length() + 1), server.read(BUCKET, key).getBytes(StandardCharsets.UTF_8));
            }
            return objects;
        }

        @Override
        public List<String> unfinished(String dir) {
            List<String> unfinished = new ArrayList<>(server.keys(BUCKET, dir + "/_filesink-staging/"));
            for (MultipartUpload upload : server.openUploads(BUCKET, dir + "/")) {
                unfinished.add("open upload of " + upload.key());
            }
            return unfinished;
        }

        @Override
        public Optional<String> inProgressTarget(String dir) {
            return server.openUploads(BUCKET, dir + "/").stream()
                    .map(upload -> upload.key().substring(dir.length() + 1))
                    .filter(name -> !name.startsWith("_filesink-staging/"))
                    .findFirst();
        }

        @Override
        public void placeByHand(String dir, String relativePath, byte[] content) {
            server.put(BUCKET, dir + "/" + relativePath, new String(content, StandardCharsets.UTF_8));
        }
    }
}
