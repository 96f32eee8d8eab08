package dev.filesink.tools.compaction;

import dev.filesink.FileSink;
import dev.filesink.azure.AzureBlobDestination;
import dev.filesink.azure.AzureBlobStorage;
import dev.filesink.rollingpolicies.OnCheckpointRollingPolicy;
import dev.filesink.s3.S3Destination;
import dev.filesink.s3.S3Storage;
import dev.filesink.s3.config.S3Credentials;
import dev.filesink.tools.BenchmarkSupport;
import dev.filesink.tools.azure.AzuriteProcess;

import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobListDetails;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.common.StorageSharedKeyCredential;
import org.apache.flink.api.common.serialization.SimpleStringEncoder;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.file.sink.compactor.ConcatFileCompactor;
import org.apache.flink.core.fs.Path;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The compaction benchmark on an object store (ours only: Flink's FileSink cannot compact there): the same job into
 * s3proxy (in memory, loopback) or Azurite (in memory, child process), then the small files the writers rolled
 * against the objects left, the bytes that passed through the task manager against the bytes compacted, every
 * record read back, and nothing hidden, staged or half uploaded left. Defaults to 2,000,000 records (about 200 MB),
 * as both servers keep everything in memory.
 */
final class ObjectStoreCompactionBenchmark {

    private static final String ACCESS_KEY = "bench-access";
    private static final String SECRET_KEY = "bench-secret-key";
    private static final String BUCKET = "compaction-bench";

    private ObjectStoreCompactionBenchmark() {}

    static void run(String storage, Map<String, String> options) throws Exception {
        Map<String, String> withDefaults = new HashMap<>(options);
        if (!options.containsKey("records") && !options.containsKey("seconds")) {
            withDefaults.put("records", "2000000");
        }
        CompactionBenchmark.Settings settings = CompactionBenchmark.Settings.of(withDefaults);
        System.out.println("Compaction benchmark on " + storage + ", ours only: " + settings.describe());
        switch (storage) {
            case "s3":
                s3(settings);
                break;
            case "azure":
                azure(settings, options.getOrDefault("azurite", "flink-file-sink-azure/src/test/azurite"));
                break;
            default:
                throw new IllegalArgumentException("--storage must be local, s3 or azure, got '" + storage + "'");
        }
    }

    /** A listed object: its key (relative to the sink's base) and size. */
    private record Listed(String key, long size) {}

    /** What a store held at the end, and a way to read an object back. */
    private interface Store {
        List<Listed> list() throws Exception;

        InputStream open(String key) throws Exception;

        /** Anything unfinished that is not a listed object: open multipart uploads, staged-only blobs. */
        List<String> unfinished() throws Exception;
    }

    private static void s3(CompactionBenchmark.Settings settings) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        URI endpoint = URI.create("http://127.0.0.1:" + port);
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(new TransientNio2BlobStore())
                .endpoint(endpoint)
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .ignoreUnknownHeaders(true)
                .build();
        proxy.start();
        try (S3Client client = S3Client.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .httpClientBuilder(Apache5HttpClient.builder())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .build()) {
            while (!"STARTED".equals(proxy.getState())) {
                Thread.sleep(10);
            }
            client.createBucket(b -> b.bucket(BUCKET));
            Sink<String> sink = dev.filesink.FileSink
                    .forRowFormat(new Path("s3://" + BUCKET + "/out"), new SimpleStringEncoder<String>())
                    .withStorage(S3Storage.of(S3Destination.builder()
                            .endpoint(endpoint.toString())
                            .region("us-east-1")
                            .pathStyleAccess(true)
                            .credentials(S3Credentials.staticKeys(ACCESS_KEY, SECRET_KEY))
                            .build()))
                    .withBucketAssigner(new SequenceBuckets(settings.buckets()))
                    .withRollingPolicy(OnCheckpointRollingPolicy.build())
                    .enableCompact(settings.strategy(), new ConcatFileCompactor())
                    .build();
            measure("s3 (s3proxy)", settings, sink, new Store() {
                @Override
                public List<Listed> list() {
                    List<Listed> listed = new ArrayList<>();
                    for (S3Object object : client.listObjectsV2Paginator(r -> r.bucket(BUCKET).prefix("out/")).contents()) {
                        listed.add(new Listed(object.key().substring("out/".length()), object.size()));
                    }
                    return listed;
                }

                @Override
                public InputStream open(String key) {
                    return client.getObject(r -> r.bucket(BUCKET).key("out/" + key));
                }

                @Override
                public List<String> unfinished() {
                    return client.listMultipartUploads(r -> r.bucket(BUCKET)).uploads().stream()
                            .map(upload -> "open multipart upload " + upload.key()).collect(Collectors.toList());
                }
            });
        } finally {
            proxy.stop();
        }
    }

    private static void azure(CompactionBenchmark.Settings settings, String azuriteDir) throws Exception {
        try (AzuriteProcess azurite = new AzuriteProcess(Paths.get(azuriteDir))) {
            BlobServiceClient service = new BlobServiceClientBuilder()
                    .endpoint(azurite.endpoint())
                    .credential(new StorageSharedKeyCredential(AzuriteProcess.ACCOUNT, AzuriteProcess.KEY))
                    .httpClient(new JdkHttpClientBuilder().build())
                    .buildClient();
            BlobContainerClient container = service.getBlobContainerClient(BUCKET);
            container.create();
            AzureBlobStorage storage = AzureBlobStorage.of(AzureBlobDestination.builder()
                    .accountKey(AzuriteProcess.KEY).endpoint(azurite.endpoint()).build());
            Sink<String> sink = FileSink.forRowFormat(
                            new Path("abfss://" + BUCKET + "@" + AzuriteProcess.ACCOUNT + ".dfs.core.windows.net/out"),
                            new SimpleStringEncoder<String>()).withStorage(storage)
                    .withBucketAssigner(new SequenceBuckets(settings.buckets()))
                    .withRollingPolicy(OnCheckpointRollingPolicy.build())
                    .enableCompact(settings.strategy(), new ConcatFileCompactor())
                    .build();
            measure("azure (Azurite)", settings, sink, new Store() {
                @Override
                public List<Listed> list() {
                    List<Listed> listed = new ArrayList<>();
                    for (BlobItem blob : container.listBlobs(new ListBlobsOptions().setPrefix("out/"), null)) {
                        listed.add(new Listed(blob.getName().substring("out/".length()),
                                blob.getProperties().getContentLength()));
                    }
                    return listed;
                }

                @Override
                public InputStream open(String key) {
                    return container.getBlobClient("out/" + key).openInputStream();
                }

                @Override
                public List<String> unfinished() {
                    Set<String> committed = new java.util.HashSet<>();
                    container.listBlobs().forEach(blob -> committed.add(blob.getName()));
                    List<String> staged = new ArrayList<>();
                    ListBlobsOptions withUncommitted = new ListBlobsOptions()
                            .setDetails(new BlobListDetails().setRetrieveUncommittedBlobs(true));
                    for (BlobItem blob : container.listBlobs(withUncommitted, null)) {
                        if (!committed.contains(blob.getName())) {
                            staged.add("staged-only blob " + blob.getName());
                        }
                    }
                    return staged;
                }
            });
        }
    }

    private static void measure(String storage, CompactionBenchmark.Settings settings, Sink<String> sink, Store store)
            throws Exception {
        TimedRun.Stats stats;
        try {
            stats = settings.run(settings.seconds()).run("ours on " + storage, sink);
        } catch (Exception e) {
            Throwable cause = e;
            while (cause.getCause() != null) {
                cause = cause.getCause();
            }
            System.out.println("FAILED on " + storage + ": " + cause);
            System.out.println("(object-store compaction is not in this build yet if the message says the storage "
                    + "cannot compact part files)");
            throw new BenchmarkFailed();
        }
        long rolled = BenchMetrics.count("fileSink.partFilesRolled");
        long inputBytes = BenchMetrics.count("fileSink.compaction.inputBytes");
        long outputBytes = BenchMetrics.count("fileSink.compaction.outputBytes");
        long through = BenchMetrics.count("fileSink.compaction.bytesThroughTaskManager");
        List<Listed> listed = store.list();
        List<Listed> visible = listed.stream().filter(o -> !hidden(o.key)).toList();
        List<String> leftovers = new ArrayList<>(store.unfinished());
        listed.stream().filter(o -> hidden(o.key)).forEach(o -> leftovers.add("hidden object " + o.key));
        RecordCheck records = new RecordCheck();
        for (Listed object : visible) {
            try (InputStream in = store.open(object.key)) {
                records.read(object.key, in);
            }
        }
        String verdict = records.verdict(stats.perSubtask());
        String check = verdict == null && leftovers.isEmpty() ? "OK"
                : "FAILED: " + (verdict == null ? "" : verdict + "; ") + leftovers.size() + " left behind "
                        + leftovers.stream().limit(3).toList();
        long totalBytes = visible.stream().mapToLong(Listed::size).sum();
        System.out.println();
        System.out.printf(Locale.ROOT, "ours on %s: %,d records in %.1f s, %,.0f records/s; checkpoints: %s%n", storage,
                stats.records(), stats.seconds(), stats.recordsPerSecond(), stats.checkpoints());
        System.out.printf(Locale.ROOT, "  files before compaction (rolled by the writers): %,d; objects after: %,d "
                        + "(%d compacted), %s%n", rolled, visible.size(),
                visible.stream().filter(o -> o.key.contains("/compacted-") || o.key.startsWith("compacted-")).count(),
                BenchmarkSupport.mib(totalBytes));
        System.out.printf(Locale.ROOT, "  compaction: %s in, %s out; bytesThroughTaskManager %s = %.2f x the compacted "
                        + "input (%.2f x all bytes written)%n", BenchmarkSupport.mib(inputBytes),
                BenchmarkSupport.mib(outputBytes), BenchmarkSupport.mib(through),
                inputBytes == 0 ? 0.0 : through / (double) inputBytes,
                totalBytes == 0 ? 0.0 : through / (double) totalBytes);
        System.out.println("  check: " + check);
        if (!check.equals("OK")) {
            throw new BenchmarkFailed();
        }
    }

    /** Ends the run with a non-zero exit once the servers are stopped; what failed is printed already. */
    static final class BenchmarkFailed extends Exception {
        private static final long serialVersionUID = 1L;
    }

    private static boolean hidden(String key) {
        for (String part : key.split("/")) {
            if (part.startsWith(".") || part.startsWith("_")) {
                return true;
            }
        }
        return false;
    }
}
