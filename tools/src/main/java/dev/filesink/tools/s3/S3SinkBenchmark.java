package dev.filesink.tools.s3;

import dev.filesink.FileSink;
import dev.filesink.rollingpolicies.OnCheckpointRollingPolicy;
import dev.filesink.s3.S3Destination;
import dev.filesink.s3.S3Storage;
import dev.filesink.s3.config.S3Credentials;
import dev.filesink.tools.BenchmarkSupport;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.SimpleStringEncoder;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.filesystem.BucketAssigner;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.SimpleVersionedStringSerializer;

import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * S3 benchmark, all against one loopback s3proxy (in-memory store) in one run, parallelism 1, records of ~100
 * bytes: our sink vs Flink's FileSink on flink-s3-fs-hadoop and on flink-s3-fs-native, in two shapes (one bucket
 * with 128 MiB part files; 200 buckets rolled on every 2 s checkpoint), plus the raw SDK multipart upload of the
 * same bytes (16 MiB parts, 2 threads) as the practical limit.
 *
 * <p>Flink's S3 file systems are plugins: {@code --plugins} names a folder with {@code s3-fs-hadoop/} and
 * {@code s3-fs-native/}; {@code FLINK_PLUGINS_DIR} must point at {@code <plugins>/active}, where each phase puts
 * the one it measures (bench-s3.sh sets this up).
 */
public final class S3SinkBenchmark {

    private static final String ACCESS_KEY = "bench-access";
    private static final String SECRET_KEY = "bench-secret-key";
    private static final String BUCKET = "bench";

    private final URI endpoint;
    private final S3Client client;
    private final java.nio.file.Path plugins;
    private final List<String[]> rows = new ArrayList<>();
    /** Records/s of every valid measurement, by shape and sink, for the ratios. */
    private final Map<String, List<Double>> rates = new java.util.LinkedHashMap<>();
    private static final String ONE_BUCKET = "one bucket, 128 MiB part files";
    private static final String MANY_BUCKETS = "200 buckets, roll on 2 s checkpoint";
    /** How long one sink's job may take before it is cancelled and reported as failed. */
    private long phaseTimeoutSeconds = 180;
    /** Rounds of the 200-bucket shape. */
    private int repeats = 3;
    private final java.nio.file.Path checkpoints;
    /** Our sink's settings that the shapes exercise, for experiments; by default (-1) the sink's own defaults. */
    private long oursInlineBudget = -1;
    private int oursCommitParallelism = -1;
    /** Further experiments: the SDK's integrity checksums (null: default), request threads (-1: default). */
    private Boolean oursChecksums;
    private int oursRequestThreads = -1;
    private long oursBufferMemory = -1;

    private S3SinkBenchmark(URI endpoint, java.nio.file.Path plugins) throws IOException {
        this.endpoint = endpoint;
        this.plugins = plugins;
        this.checkpoints = Files.createTempDirectory("s3-bench-checkpoints");
        this.client = S3Client.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .httpClientBuilder(Apache5HttpClient.builder().maxConnections(8))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .build();
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = BenchmarkSupport.arguments(args);
        long oneBucketRecords = Long.parseLong(options.getOrDefault("records", "10000000"));
        long manyBucketRecords = Long.parseLong(options.getOrDefault("bucket-records", "20000000"));
        String only = options.getOrDefault("only", "all");
        String shapes = options.getOrDefault("shapes", "all");
        long warmupRecords = Long.parseLong(options.getOrDefault("warmup-records", "2000000"));
        java.nio.file.Path plugins = java.nio.file.Path.of(options.getOrDefault("plugins", "tools/target/s3-plugins"));

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
        while (!"STARTED".equals(proxy.getState())) {
            Thread.sleep(10);
        }
        S3SinkBenchmark benchmark = new S3SinkBenchmark(endpoint, plugins);
        if (options.containsKey("ours-inline-budget-kib")) {
            benchmark.oursInlineBudget = Long.parseLong(options.get("ours-inline-budget-kib")) << 10;
        }
        benchmark.oursCommitParallelism = Integer.parseInt(options.getOrDefault("ours-commit-parallelism", "-1"));
        if (options.containsKey("ours-checksums")) {
            benchmark.oursChecksums = Boolean.parseBoolean(options.get("ours-checksums"));
        }
        benchmark.oursRequestThreads = Integer.parseInt(options.getOrDefault("ours-request-threads", "-1"));
        benchmark.phaseTimeoutSeconds = Long.parseLong(options.getOrDefault("time-limit-s", "180"));
        benchmark.repeats = Integer.parseInt(options.getOrDefault("bucket-rounds", "3"));
        benchmark.oursBufferMemory = Long.parseLong(options.getOrDefault("ours-buffer-memory-mib", "-1")) << 20;
        try {
            benchmark.client.createBucket(b -> b.bucket(BUCKET));
            long largest = Math.max(shapes.equals("many") ? 0 : oneBucketRecords,
                    shapes.equals("one") ? 0 : manyBucketRecords) * FastRecords.RECORD_BYTES;
            long prefill = options.containsKey("prefill-mib") ? Long.parseLong(options.get("prefill-mib")) << 20
                    : Math.min(largest + largest / 4, 3L << 30);
            benchmark.prefillStore(prefill);
            benchmark.run(oneBucketRecords, manyBucketRecords, only, shapes, warmupRecords);
        } finally {
            proxy.stop();
            BenchmarkSupport.deleteRecursively(benchmark.checkpoints);
        }
        System.exit(0);
    }

    private void run(long oneBucketRecords, long manyBucketRecords, String only, String shapes, long warmupRecords)
            throws Exception {
        System.out.printf("S3 benchmark against s3proxy (in-memory) at %s, parallelism 1, %d-byte records, "
                + "checkpoints in a local folder; ours: %s%n", endpoint, FastRecords.RECORD_BYTES,
                oursInlineBudget < 0 && oursCommitParallelism < 0 && oursChecksums == null && oursRequestThreads < 0
                        && oursBufferMemory < 0
                        ? "default settings"
                        : "inline budget " + (oursInlineBudget < 0 ? "default" : (oursInlineBudget >> 10) + " KiB")
                                + ", commit parallelism " + (oursCommitParallelism < 0 ? "default" : oursCommitParallelism)
                                + ", checksums " + (oursChecksums == null ? "default" : oursChecksums)
                                + ", request threads " + (oursRequestThreads < 0 ? "default" : oursRequestThreads)
                                + ", buffer memory " + (oursBufferMemory < 0 ? "default" : (oursBufferMemory >> 20) + " MiB"));
        if (warmupRecords > 0) {
            // Every sink runs once, unmeasured, first: whichever ran second would otherwise get the JIT-compiled
            // Flink runtime, SDK and s3proxy code of the first for free.
            for (String sink : new String[] {"ours", "hadoop", "native"}) {
                if (only.equals("all") || Arrays.asList(only.split(",")).contains(sink)) {
                    measure("warm-up", sink, warmupRecords, shapes.equals("one") ? 1 : 200, 2_000);
                }
            }
            rows.clear();
            rates.clear();
        }
        if (only.equals("all") || only.contains("raw")) {
            rawUpload(oneBucketRecords * FastRecords.RECORD_BYTES);
        }
        List<String> sinks = new ArrayList<>();
        for (String sink : new String[] {"ours", "hadoop", "native"}) {
            if (only.equals("all") || Arrays.asList(only.split(",")).contains(sink)) {
                sinks.add(sink);
            }
        }
        if (!shapes.equals("many")) {
            for (String sink : sinks) {
                measure(ONE_BUCKET, sink, oneBucketRecords, 1, 10_000);
            }
        }
        if (!shapes.equals("one")) {
            // The sinks take turns, several rounds: how many checkpoints fall into a run (and so how large the part
            // files get) varies from run to run, most for Flink's sink, whose checkpoints take about the interval.
            for (int round = 1; round <= repeats; round++) {
                for (String sink : sinks) {
                    if (round == 1 || rates.containsKey(MANY_BUCKETS + "|" + sink)) {
                        measure(MANY_BUCKETS, sink, manyBucketRecords, 200, 2_000);
                    }
                }
            }
        }
        System.out.println();
        System.out.printf("%-36s %-30s %12s %9s %10s%n", "shape", "sink", "records/s", "MB/s", "objects");
        for (String[] row : rows) {
            System.out.printf("%-36s %-30s %12s %9s %10s%n", (Object[]) row);
        }
        for (String shape : new String[] {ONE_BUCKET, MANY_BUCKETS}) {
            double ours = median(rates.get(shape + "|ours"));
            double flink = Math.max(median(rates.get(shape + "|hadoop")), median(rates.get(shape + "|native")));
            if (ours > 0 && flink > 0) {
                System.out.printf("%s: ours / best Flink sink = %.2fx (%s; median records/s: ours %.0f, best Flink "
                        + "%.0f)%n", shape, ours / flink, rates.get(shape + "|ours").size() > 1
                        ? rates.get(shape + "|ours").size() + " runs each" : "one run each", ours, flink);
            }
        }
    }

    private static double median(List<Double> values) {
        if (values == null || values.isEmpty()) {
            return 0;
        }
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private void measure(String shape, String sink, long records, int buckets, long checkpointMillis) throws Exception {
        String prefix = sink + "-" + buckets + "/";
        Configuration conf = new Configuration();
        // As in production: checkpoints go to a checkpoint directory (Flink's JobManager storage takes at most 5 MiB
        // of state per operator).
        conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.resolve(sink + "-" + buckets).toUri().toString());
        String basePath;
        switch (sink) {
            case "ours":
                activatePlugin(null);
                basePath = "s3://" + BUCKET + "/" + prefix;
                break;
            case "hadoop":
                activatePlugin("s3-fs-hadoop");
                basePath = "s3a://" + BUCKET + "/" + prefix;
                conf.setString("s3.endpoint", endpoint.toString());
                conf.setString("s3.path.style.access", "true");
                conf.setString("s3.access-key", ACCESS_KEY);
                conf.setString("s3.secret-key", SECRET_KEY);
                conf.setString("s3.connection.ssl.enabled", "false");
                break;
            default:
                activatePlugin("s3-fs-native");
                basePath = "s3://" + BUCKET + "/" + prefix;
                conf.setString("s3.endpoint", endpoint.toString());
                conf.setString("s3.path-style-access", "true");
                conf.setString("s3.path.style.access", "true");
                conf.setString("s3.access-key", ACCESS_KEY);
                conf.setString("s3.secret-key", SECRET_KEY);
                conf.setString("s3.region", "us-east-1");
                break;
        }
        // The embedded cluster does not load plugins itself: register the active one (if any) for this phase.
        org.apache.flink.core.fs.FileSystem.initialize(
                conf, org.apache.flink.core.plugin.PluginUtils.createPluginManagerFromRootFolder(conf));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setRuntimeMode(RuntimeExecutionMode.STREAMING);
        env.setParallelism(1);
        env.enableCheckpointing(checkpointMillis);
        DataGeneratorSource<String> source = new DataGeneratorSource<>(
                new FastRecords(), records, RateLimiterStrategy.noOp(), Types.STRING);
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "records")
                .sinkTo(sink.equals("ours") ? ours(basePath, buckets) : flinks(basePath, buckets));

        String name = sink.equals("ours") ? "ours (dev.filesink S3)" : sink.equals("hadoop")
                ? "Flink FileSink + s3-fs-hadoop" : "Flink FileSink + s3-fs-native";
        BenchmarkSupport.HeapSampler heap = new BenchmarkSupport.HeapSampler();
        try {
            FastRecords.FIRST_RECORD_NANOS.set(0);
            org.apache.flink.core.execution.JobClient job = env.executeAsync("s3 bench " + sink + " " + buckets);
            JobExecutionResult result;
            try {
                result = job.getJobExecutionResult().get(phaseTimeoutSeconds, java.util.concurrent.TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                // A sink whose commits fail is restarted by Flink over and over: stop it and report it.
                job.cancel().get(60, java.util.concurrent.TimeUnit.SECONDS);
                throw new IOException("no result within the time limit of " + phaseTimeoutSeconds + " s (job cancelled;"
                        + " see the s3proxy warnings above for the failing requests)");
            }
            long end = System.nanoTime();
            long heapMax = heap.stop();
            // The rate counts from the first record the source emits to the end of the job (the last commit
            // included), so the MiniCluster's start-up, the same for every sink, does not dilute it. Flink's net
            // runtime (start-up included) is printed alongside.
            double seconds = (end - FastRecords.FIRST_RECORD_NANOS.get()) / 1e9;
            double netSeconds = result.getNetRuntime() / 1000.0;
            Verification check = verify(prefix, records);
            double recordsPerSecond = records / seconds;
            double mbPerSecond = check.bytes / seconds / 1_000_000.0;
            System.out.printf("%s | %s: %.0f records/s, %.1f MB/s, %d objects, %.1f s (net runtime %.1f s), "
                    + "heap max %d MiB%n  check: %s%n", shape, name, recordsPerSecond, mbPerSecond, check.objects,
                    seconds, netSeconds, heapMax >> 20, check);
            rows.add(new String[] {shape, name, check.ok() ? String.format(Locale.ROOT, "%.0f", recordsPerSecond)
                    : "INVALID", String.format(Locale.ROOT, "%.1f", mbPerSecond), Long.toString(check.objects)});
            if (check.ok()) {
                rates.computeIfAbsent(shape + "|" + sink, k -> new ArrayList<>()).add(recordsPerSecond);
            }
        } catch (Exception e) {
            heap.stop();
            String reason = rootCause(e);
            System.out.printf("%s | %s: FAILED: %s%n", shape, name, reason);
            rows.add(new String[] {shape, name, "failed", "-", "-"});
        } finally {
            deleteBelow(prefix);
        }
    }

    private Sink<String> ours(String basePath, int buckets) {
        String endpointForOurs = endpoint.toString();
        S3Destination.Builder settings = S3Destination.builder()
                .endpoint(endpointForOurs)
                .region("us-east-1")
                .pathStyleAccess(true)
                .credentials(S3Credentials.staticKeys(ACCESS_KEY, SECRET_KEY));
        if (oursInlineBudget >= 0) {
            settings.inlineBudget(oursInlineBudget);
        }
        if (oursChecksums != null) {
            settings.checksums(oursChecksums);
        }
        if (oursRequestThreads > 0) {
            settings.requestThreads(oursRequestThreads);
        }
        if (oursBufferMemory > 0) {
            settings.bufferMemory(oursBufferMemory);
        }
        FileSink.DefaultRowFormatBuilder<String> builder =
                FileSink.forRowFormat(new Path(basePath), new SimpleStringEncoder<String>())
                        .withStorage(S3Storage.of(settings.build()))
                        .withBucketAssigner(new ModuloAssigner(buckets));
        if (oursCommitParallelism > 0) {
            builder.withCommitParallelism(oursCommitParallelism);
        }
        if (buckets == 1) {
            builder.withRollingPolicy(dev.filesink.rollingpolicies.DefaultRollingPolicy.builder()
                    .withMaxPartSize(128L * 1024 * 1024)
                    .withRolloverInterval(Duration.ofHours(1))
                    .withInactivityInterval(Duration.ofHours(1))
                    .build());
        } else {
            builder.withRollingPolicy(OnCheckpointRollingPolicy.build());
        }
        return builder.build();
    }

    private static Sink<String> flinks(String basePath, int buckets) {
        org.apache.flink.connector.file.sink.FileSink.DefaultRowFormatBuilder<String> builder =
                org.apache.flink.connector.file.sink.FileSink.forRowFormat(new Path(basePath), new SimpleStringEncoder<String>())
                        .withBucketAssigner(new ModuloAssigner(buckets));
        if (buckets == 1) {
            builder.withRollingPolicy(
                    org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.DefaultRollingPolicy.builder()
                            .withMaxPartSize(MemorySize.ofMebiBytes(128))
                            .withRolloverInterval(Duration.ofHours(1))
                            .withInactivityInterval(Duration.ofHours(1))
                            .build());
        } else {
            builder.withRollingPolicy(
                    org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.OnCheckpointRollingPolicy.build());
        }
        return builder.build();
    }

    /** The raw SDK: one multipart upload of the same number of bytes, 16 MiB parts, 2 threads. */
    private void rawUpload(long totalBytes) throws Exception {
        int partSize = 16 * 1024 * 1024;
        byte[] part = new byte[partSize];
        Arrays.fill(part, (byte) 'x');
        String key = "raw/object";
        long start = System.nanoTime();
        String uploadId = client.createMultipartUpload(b -> b.bucket(BUCKET).key(key)).uploadId();
        int parts = (int) ((totalBytes + partSize - 1) / partSize);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        List<Future<CompletedPart>> uploads = new ArrayList<>();
        for (int i = 1; i <= parts; i++) {
            int number = i;
            int size = (int) Math.min(partSize, totalBytes - (long) (number - 1) * partSize);
            uploads.add(threads.submit(() -> CompletedPart.builder().partNumber(number).eTag(client.uploadPart(
                    b -> b.bucket(BUCKET).key(key).uploadId(uploadId).partNumber(number),
                    RequestBody.fromBytes(size == partSize ? part : Arrays.copyOf(part, size))).eTag()).build()));
        }
        List<CompletedPart> completed = new ArrayList<>();
        for (Future<CompletedPart> upload : uploads) {
            completed.add(upload.get());
        }
        threads.shutdown();
        client.completeMultipartUpload(b -> b.bucket(BUCKET).key(key).uploadId(uploadId)
                .multipartUpload(m -> m.parts(completed)));
        double seconds = (System.nanoTime() - start) / 1e9;
        double mbPerSecond = totalBytes / seconds / 1_000_000.0;
        System.out.printf("raw SDK multipart upload (16 MiB parts, 2 threads): %.1f MB/s (%d MiB in %.1f s)%n",
                mbPerSecond, totalBytes >> 20, seconds);
        rows.add(new String[] {"raw upload, same bytes", "AWS SDK v2, 16 MiB parts, 2 thr", "-",
                String.format(Locale.ROOT, "%.1f", mbPerSecond), "1"});
        deleteBelow("raw/");
    }

    /**
     * Grows s3proxy's in-memory store to its largest size once, before anything is measured: the store (jimfs) keeps
     * the blocks of deleted objects for reuse, so otherwise the first sink measured pays for allocating (and the
     * garbage collector for promoting) the store's memory, and every later sink writes into recycled blocks.
     */
    private void prefillStore(long bytes) throws Exception {
        if (bytes <= 0) {
            return;
        }
        int objectSize = 64 * 1024 * 1024;
        byte[] content = new byte[objectSize];
        int objects = (int) ((bytes + objectSize - 1) / objectSize);
        long start = System.nanoTime();
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> puts = new ArrayList<>();
            for (int i = 0; i < objects; i++) {
                String key = "prefill/" + i;
                puts.add(threads.submit(() -> client.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(content))));
            }
            for (Future<?> put : puts) {
                put.get();
            }
        } finally {
            threads.shutdown();
        }
        deleteBelow("prefill/");
        System.gc();
        System.out.printf("s3proxy store grown to %d MiB and emptied again (%.1f s), so no sink pays for its memory%n",
                (long) objects * objectSize >> 20, (System.nanoTime() - start) / 1e9);
    }

    /** Makes exactly one Flink S3 plugin visible to the next MiniCluster (none for our sink). */
    private void activatePlugin(String name) throws IOException {
        java.nio.file.Path active = plugins.resolve("active");
        BenchmarkSupport.deleteRecursively(active);
        Files.createDirectories(active);
        if (name != null) {
            java.nio.file.Path source = plugins.resolve(name);
            java.nio.file.Path target = Files.createDirectories(active.resolve(name));
            try (var jars = Files.list(source)) {
                for (java.nio.file.Path jar : jars.toList()) {
                    Files.createSymbolicLink(target.resolve(jar.getFileName()), jar.toAbsolutePath());
                }
            }
        }
    }

    private static boolean isFinal(String key) {
        return !key.contains("_filesink-staging/") && !key.contains(".inprogress") && !key.contains("/.incomplete/")
                && !key.contains("/_temporary/") && !key.contains("_tmp_");
    }

    /**
     * Reads every object below the prefix back and counts each record: all of 0..records-1 exactly once, in final
     * objects, no multipart upload left open. Also counts what else is left (staging objects, in-progress files).
     */
    private Verification verify(String prefix, long records) throws Exception {
        List<S3Object> finals = new ArrayList<>();
        long leftovers = 0;
        for (S3Object object : client.listObjectsV2Paginator(
                ListObjectsV2Request.builder().bucket(BUCKET).prefix(prefix).build()).contents()) {
            if (isFinal(object.key())) {
                finals.add(object);
            } else {
                leftovers++;
            }
        }
        int openUploads = client.listMultipartUploads(b -> b.bucket(BUCKET).prefix(prefix)).uploads().size();
        java.util.BitSet seen = new java.util.BitSet((int) records);
        java.util.concurrent.atomic.AtomicLong duplicates = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicLong malformed = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicLong bytes = new java.util.concurrent.atomic.AtomicLong();
        ExecutorService readers = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> reads = new ArrayList<>();
            for (S3Object object : finals) {
                reads.add(readers.submit(() -> {
                    byte[] content = client.getObjectAsBytes(b -> b.bucket(BUCKET).key(object.key())).asByteArray();
                    bytes.addAndGet(content.length);
                    int record = FastRecords.RECORD_BYTES;
                    if (content.length % record != 0) {
                        malformed.incrementAndGet();
                    }
                    for (int offset = 0; offset + record <= content.length; offset += record) {
                        long id = 0;
                        boolean valid = content[offset + record - 1] == '\n';
                        for (int i = 7; i < 17 && valid; i++) {
                            byte digit = content[offset + i];
                            valid = digit >= '0' && digit <= '9';
                            id = id * 10 + (digit - '0');
                        }
                        if (!valid || id >= records) {
                            malformed.incrementAndGet();
                            continue;
                        }
                        synchronized (seen) {
                            if (seen.get((int) id)) {
                                duplicates.incrementAndGet();
                            } else {
                                seen.set((int) id);
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> read : reads) {
                read.get();
            }
        } finally {
            readers.shutdown();
        }
        return new Verification(finals.size(), bytes.get(), records - seen.cardinality(), duplicates.get(),
                malformed.get(), leftovers, openUploads);
    }

    /** What the read-back found. */
    private record Verification(long objects, long bytes, long missing, long duplicates, long malformed,
            long leftovers, int openUploads) {
        boolean ok() {
            return missing == 0 && duplicates == 0 && malformed == 0 && openUploads == 0;
        }

        @Override
        public String toString() {
            return (ok() ? "every record exactly once" : "FAILED") + " (" + objects + " final objects read back, "
                    + missing + " records missing, " + duplicates + " duplicated, " + malformed + " malformed; "
                    + leftovers + " other objects, " + openUploads + " open multipart uploads)";
        }
    }

    private void deleteBelow(String prefix) {
        for (S3Object object : client.listObjectsV2Paginator(
                ListObjectsV2Request.builder().bucket(BUCKET).prefix(prefix).build()).contents()) {
            client.deleteObject(b -> b.bucket(BUCKET).key(object.key()));
        }
        for (MultipartUpload upload : client.listMultipartUploads(b -> b.bucket(BUCKET).prefix(prefix)).uploads()) {
            client.abortMultipartUpload(b -> b.bucket(BUCKET).key(upload.key()).uploadId(upload.uploadId()));
        }
    }

    private static String rootCause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = String.valueOf(root.getMessage());
        return root.getClass().getSimpleName() + ": " + (message.length() > 200 ? message.substring(0, 200) : message);
    }

    /** ~100-byte records built from a template, much cheaper than String.format. */
    static final class FastRecords implements GeneratorFunction<Long, String> {
        private static final long serialVersionUID = 1L;
        private static final char[] TEMPLATE = ("record-0000000000-" + "x".repeat(80)).toCharArray();
        static final int RECORD_BYTES = TEMPLATE.length + 1;

        /** When the source emitted its first record (the benchmark runs the job in this JVM). */
        static final java.util.concurrent.atomic.AtomicLong FIRST_RECORD_NANOS = new java.util.concurrent.atomic.AtomicLong();

        @Override
        public String map(Long id) {
            if (id == 0) {
                FIRST_RECORD_NANOS.compareAndSet(0, System.nanoTime());
            }
            char[] chars = TEMPLATE.clone();
            long value = id;
            for (int i = 16; i >= 7; i--) {
                chars[i] = (char) ('0' + value % 10);
                value /= 10;
            }
            return new String(chars);
        }
    }

    /** Spreads records over n buckets by id (both sinks use Flink's assigner interface). */
    static final class ModuloAssigner implements BucketAssigner<String, String> {
        private static final long serialVersionUID = 1L;
        private final int buckets;

        ModuloAssigner(int buckets) {
            this.buckets = buckets;
        }

        @Override
        public String getBucketId(String element, Context context) {
            if (buckets == 1) {
                return "all";
            }
            long id = 0;
            for (int i = 7; i < 17; i++) {
                id = id * 10 + (element.charAt(i) - '0');
            }
            return "b" + (id % buckets);
        }

        @Override
        public SimpleVersionedSerializer<String> getSerializer() {
            return SimpleVersionedStringSerializer.INSTANCE;
        }
    }
}
