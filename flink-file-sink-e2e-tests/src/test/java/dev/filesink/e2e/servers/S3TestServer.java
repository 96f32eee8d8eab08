package dev.filesink.e2e.servers;

import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;

import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A real S3 server on 127.0.0.1 for the end-to-end tests: s3proxy with an in-memory store, in the test JVM. The
 * Flink processes reach it over HTTP like any S3 endpoint; the tests read the store directly, independent of the
 * sink's own client.
 */
public final class S3TestServer implements AutoCloseable {

    /** The test server's credentials (not secrets of anything real); the cluster gets them as AWS_* variables. */
    public static final String ACCESS_KEY = "e2e-access-key";
    public static final String SECRET_KEY = "e2e-secret-key-not-for-logs";

    /** s3proxy's in-memory store lists an open multipart upload as {@code <key>-<upload id>}; S3 does not. */
    private static final Pattern OPEN_UPLOAD = Pattern.compile(".*-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private final BlobStore store;
    private final S3Proxy proxy;
    private final int port;

    private S3TestServer(BlobStore store, S3Proxy proxy, int port) {
        this.store = store;
        this.proxy = proxy;
        this.port = port;
    }

    /** {@link #start()} for static initializers (a cluster's configuration needs the endpoint before it starts). */
    public static S3TestServer startUnchecked() {
        try {
            return start();
        } catch (Exception e) {
            throw new IllegalStateException("s3proxy did not start", e);
        }
    }

    public static S3TestServer start() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        BlobStore store = new TransientNio2BlobStore();
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(store)
                .endpoint(URI.create("http://127.0.0.1:" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .ignoreUnknownHeaders(true)
                .stopTimeout(0)
                .build();
        proxy.start();
        long deadline = System.currentTimeMillis() + 10_000;
        while (!"STARTED".equals(proxy.getState())) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("s3proxy did not start: " + proxy.getState());
            }
            Thread.sleep(10);
        }
        return new S3TestServer(store, proxy, port);
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    /** The variables the AWS SDK's default credential chain reads, for the Flink processes. */
    public static Map<String, String> credentialsEnvironment() {
        return Map.of("AWS_ACCESS_KEY_ID", ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", SECRET_KEY, "AWS_REGION", "us-east-1");
    }

    public void createBucket(String bucket) {
        store.createContainer(bucket);
    }

    /** Every object below the prefix, with its size (not the store's entries of open multipart uploads). */
    public Map<String, Long> objects(String bucket, String prefix) {
        Map<String, Long> objects = new LinkedHashMap<>();
        String token = null;
        do {
            ListObjectsV2Response page = store.list(ListObjectsV2Request.builder()
                    .bucket(bucket).prefix(prefix).continuationToken(token).build());
            for (S3Object object : page.contents()) {
                if (!OPEN_UPLOAD.matcher(object.key()).matches()) {
                    objects.put(object.key(), object.size() == null ? -1 : object.size());
                }
            }
            token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
        } while (token != null);
        return objects;
    }

    /** Finished objects below the prefix: keys with no hidden segment ("_..." or "...", e.g. the staging folder). */
    public Map<String, Long> finishedObjects(String bucket, String prefix) {
        Map<String, Long> finished = new LinkedHashMap<>();
        objects(bucket, prefix).forEach((key, size) -> {
            if (!isHidden(key.substring(prefix.length()))) {
                finished.put(key, size);
            }
        });
        return finished;
    }

    public List<String> hiddenObjects(String bucket, String prefix) {
        List<String> hidden = new ArrayList<>();
        for (String key : objects(bucket, prefix).keySet()) {
            if (isHidden(key.substring(prefix.length()))) {
                hidden.add(key);
            }
        }
        return hidden;
    }

    /** Multipart uploads started and neither completed nor aborted. */
    public List<String> openUploads(String bucket) {
        List<String> open = new ArrayList<>();
        for (MultipartUpload upload : store.listMultipartUploads(bucket)) {
            open.add(upload.key());
        }
        return open;
    }

    /** Open multipart uploads as {@code key (upload id)}, for reports that must name the upload. */
    public List<String> openUploadsWithIds(String bucket) {
        List<String> open = new ArrayList<>();
        for (MultipartUpload upload : store.listMultipartUploads(bucket)) {
            open.add(upload.key() + " (upload " + upload.uploadId() + ")");
        }
        return open;
    }

    public String read(String bucket, String key) {
        return new String(bytes(bucket, key), StandardCharsets.UTF_8);
    }

    public byte[] bytes(String bucket, String key) {
        try (InputStream in = store.getBlob(bucket, key)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** All lines of all finished objects below the prefix; each object must end with a whole line. */
    public List<String> lines(String bucket, String prefix) {
        List<String> lines = new ArrayList<>();
        for (String key : finishedObjects(bucket, prefix).keySet()) {
            String content = read(bucket, key);
            if (!content.isEmpty() && !content.endsWith("\n")) {
                throw new AssertionError("Object " + key + " does not end with a whole record");
            }
            for (String line : content.split("\n")) {
                if (!line.isEmpty()) {
                    lines.add(line);
                }
            }
        }
        return lines;
    }

    private static boolean isHidden(String relativeKey) {
        for (String segment : relativeKey.split("/")) {
            if (segment.startsWith("_") || segment.startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
        store.close();
    }
}
