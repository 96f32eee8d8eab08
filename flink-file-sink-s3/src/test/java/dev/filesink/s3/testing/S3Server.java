package dev.filesink.s3.testing;

import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A real S3 server for tests: s3proxy with its in-memory backend on 127.0.0.1. It can be stopped and started again
 * on the same port with its data intact, to play an outage.
 */
public final class S3Server implements AutoCloseable {

    public static final String ACCESS_KEY = "test-access-key";
    public static final String SECRET_KEY = "test-secret-key-do-not-log";

    private final BlobStore blobStore;
    /** The fault-injecting wrapper of the store, if the server was started with one. */
    private final FaultyBlobStore faults;
    private final int port;
    private S3Proxy proxy;
    private S3Client client;

    private S3Server(int port, BlobStore blobStore, FaultyBlobStore faults) {
        this.port = port;
        this.blobStore = blobStore;
        this.faults = faults;
    }

    /** Starts a server on a free loopback port. */
    public static S3Server start() throws Exception {
        return started(new S3Server(freePort(), new TransientNio2BlobStore(), null));
    }

    /** Starts a server whose in-memory store can be told to fail requests ({@link #faults()}). */
    public static S3Server startWithFaults() throws Exception {
        FaultyBlobStore faulty = new FaultyBlobStore(new TransientNio2BlobStore());
        return started(new S3Server(freePort(), faulty, faulty));
    }

    private static S3Server started(S3Server server) throws Exception {
        server.startProxy();
        return server;
    }

    /** The store's fault injection; only for a server from {@link #startWithFaults()}. */
    public FaultyBlobStore faults() {
        if (faults == null) {
            throw new IllegalStateException("this server was started without fault injection");
        }
        return faults;
    }

    public synchronized void startProxy() throws Exception {
        if (proxy != null) {
            return;
        }
        S3Proxy started = S3Proxy.builder()
                .blobStore(blobStore)
                .endpoint(URI.create("http://127.0.0.1:" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .ignoreUnknownHeaders(true)
                .stopTimeout(0)
                .build();
        started.start();
        long deadline = System.currentTimeMillis() + 10_000;
        while (!"STARTED".equals(started.getState())) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("s3proxy did not start: " + started.getState());
            }
            Thread.sleep(10);
        }
        proxy = started;
    }

    /** Stops serving (connections are refused) while keeping the stored data. */
    public synchronized void stopProxy() throws Exception {
        if (proxy != null) {
            proxy.stop();
            proxy = null;
        }
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public int port() {
        return port;
    }

    /** Sink settings for this server: path-style, static test keys, 5 MiB parts, quick retries. */
    public dev.filesink.s3.S3Destination.Builder destination() {
        return destination(endpoint().toString());
    }

    /** Sink settings for this server reached through another endpoint (a fault proxy). */
    public static dev.filesink.s3.S3Destination.Builder destination(String endpoint) {
        return dev.filesink.s3.S3Destination.builder()
                .endpoint(endpoint)
                .region("us-east-1")
                .pathStyleAccess(true)
                .credentials(dev.filesink.s3.config.S3Credentials.staticKeys(ACCESS_KEY, SECRET_KEY))
                .partSize(dev.filesink.s3.S3Destination.MIN_PART_SIZE)
                .retries(4, java.time.Duration.ofMillis(20), java.time.Duration.ofMillis(200));
    }

    public void createBucket(String bucket) {
        client().createBucket(b -> b.bucket(bucket));
    }

    /** A plain SDK client on the server, for setting up and inspecting. */
    public synchronized S3Client client() {
        if (client == null) {
            client = S3Client.builder()
                    .endpointOverride(endpoint())
                    .region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                    .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                    .build();
        }
        return client;
    }

    /** Every object key below the prefix, sorted. */
    public List<String> keys(String bucket, String prefix) {
        List<String> keys = new ArrayList<>();
        for (S3Object object : client().listObjectsV2Paginator(
                ListObjectsV2Request.builder().bucket(bucket).prefix(prefix).build()).contents()) {
            keys.add(object.key());
        }
        keys.sort(String::compareTo);
        return keys;
    }

    public String read(String bucket, String key) {
        return client().getObjectAsBytes(b -> b.bucket(bucket).key(key)).asString(StandardCharsets.UTF_8);
    }

    public void put(String bucket, String key, String content) {
        client().putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(content));
    }

    /** Multipart uploads still open below the prefix. */
    public List<MultipartUpload> openUploads(String bucket, String prefix) {
        return client().listMultipartUploads(b -> b.bucket(bucket).prefix(prefix)).uploads();
    }

    @Override
    public synchronized void close() throws Exception {
        if (client != null) {
            client.close();
        }
        stopProxy();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
