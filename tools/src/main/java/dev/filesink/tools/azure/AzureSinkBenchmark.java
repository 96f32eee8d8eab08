package dev.filesink.tools.azure;

import dev.filesink.FileSink;
import dev.filesink.azure.AzureBlobDestination;
import dev.filesink.azure.AzureBlobStorage;
import dev.filesink.rollingpolicies.DefaultRollingPolicy;
import dev.filesink.rollingpolicies.OnCheckpointRollingPolicy;
import dev.filesink.storage.StorageSession;
import dev.filesink.tools.BenchmarkSupport;

import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.specialized.BlockBlobClient;
import com.azure.storage.common.StorageSharedKeyCredential;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.SimpleStringEncoder;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.RecoverableFsDataOutputStream;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.filesystem.BucketAssigner;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.SimpleVersionedStringSerializer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Azure benchmark against one Azurite (in memory) in one run, parallelism 1, records of ~100 bytes: the raw SDK
 * staging the same bytes as 8 MiB blocks (1 and 2 threads; the practical limit, as Flink has no exactly-once Blob
 * Storage sink to compare with), our sink with one bucket, and our sink with 200 buckets rolled on every checkpoint
 * (commit parallelism 8 and 1). Prints records/s, MB/s and the ratio to the raw rate.
 */
public final class AzureSinkBenchmark {

    private static final int BLOCK = 8 * 1024 * 1024;

    public static void main(String[] args) throws Exception {
        Map<String, String> options = BenchmarkSupport.arguments(args);
        long megabytes = Long.parseLong(options.getOrDefault("megabytes", "256"));
        long bucketMegabytes = Long.parseLong(options.getOrDefault("bucket-megabytes", "100"));
        String azuriteDir = options.getOrDefault("azurite", "flink-file-sink-azure/src/test/azurite");
        long records = megabytes * 1024 * 1024 / FastRecords.RECORD_BYTES;
        long bucketRecords = bucketMegabytes * 1024 * 1024 / FastRecords.RECORD_BYTES;

        try (AzuriteProcess azurite = new AzuriteProcess(Paths.get(azuriteDir))) {
            BlobServiceClient service = new BlobServiceClientBuilder()
                    .endpoint(azurite.endpoint())
                    .credential(new StorageSharedKeyCredential(AzuriteProcess.ACCOUNT, AzuriteProcess.KEY))
                    .httpClient(new JdkHttpClientBuilder().build())
                    .buildClient();
            AzureBlobStorage storage = AzureBlobStorage.of(AzureBlobDestination.builder()
                    .accountKey(AzuriteProcess.KEY).endpoint(azurite.endpoint()).build());
            System.out.printf(Locale.ROOT, "Azure benchmark: %d MiB (%d records of %d bytes), Azurite in memory, "
                    + "parallelism 1%n%n", megabytes, records, FastRecords.RECORD_BYTES);

            // Raw and ours alternate, best of each kept: other work on the machine comes and goes.
            int rounds = Integer.parseInt(options.getOrDefault("rounds", "3"));
            double raw1 = Double.MAX_VALUE;
            double ours = Double.MAX_VALUE;
            String shapes = options.getOrDefault("shapes", "single,buckets");
            if (!shapes.contains("single")) {
                rounds = 1;
            }
            for (int round = 0; round < rounds; round++) {
                raw1 = Math.min(raw1, raw(service, "raw1-" + round, records * FastRecords.RECORD_BYTES, 1));
                if (shapes.contains("single")) {
                    ours = Math.min(ours, sink(service, azurite, storage, "ours-" + round, records, 1, 10_000, 8, false, 0));
                }
            }
            print("raw SDK, 8 MiB blocks, 1 thread (best of " + rounds + ")", records, raw1, raw1);
            if (shapes.contains("single")) {
                print("ours, 1 bucket, 128 MiB part files (best of " + rounds + ")", records, ours, raw1);
                singleBucketBaselines(service, storage, records, raw1);
            }
            if (shapes.contains("buckets")) {
                manyBuckets(service, azurite, storage, options, bucketRecords, raw1);
            }
        }
    }

    private static void singleBucketBaselines(BlobServiceClient service, AzureBlobStorage storage, long records,
            double raw1) throws Exception {
        {
            double raw2 = raw(service, "raw2", records * FastRecords.RECORD_BYTES, 2);
            print("raw SDK, 8 MiB blocks, 2 threads", records, raw2, raw1);
            double writer = writerAlone(service, storage, "writer", records * FastRecords.RECORD_BYTES);
            print("ours, RecoverableWriter alone (64 KiB writes, no Flink)", records, writer, raw1);
            double discarding = discarding(records);
            print("Flink job into a discarding sink (the job's own limit)", records, discarding, raw1);
            double local = localFolder(records);
            print("ours into a local folder (the core's record path)", records, local, raw1);

        }
    }

    /** 200 buckets at a fixed rate, so that both runs see the same checkpoints (every 2 s, rolling all files). */
    private static void manyBuckets(BlobServiceClient service, AzuriteProcess azurite, AzureBlobStorage storage,
            Map<String, String> options, long bucketRecords, double raw1) throws Exception {
        {
            double rate = Double.parseDouble(options.getOrDefault("bucket-rate", "100000"));
            double many8 = sink(service, azurite, storage, "many8", bucketRecords, 200, 2_000, 8, true, rate);
            print("ours, 200 buckets, roll each 2 s checkpoint, commit x8", bucketRecords, many8, raw1);
            double many1 = sink(service, azurite, storage, "many1", bucketRecords, 200, 2_000, 1, true, rate);
            print("ours, 200 buckets, roll each 2 s checkpoint, commit x1", bucketRecords, many1, raw1);
        }
    }

    private static void print(String what, long records, double seconds, double rawSeconds) {
        double bytes = (double) records * FastRecords.RECORD_BYTES;
        System.out.printf(Locale.ROOT, "%-58s %10.0f records/s %8.1f MB/s   ratio to raw (1 thread) %.2f%n",
                what, records / seconds, bytes / seconds / 1e6, rawSeconds / seconds);
    }

    /** Our writer without Flink: the same bytes in 64 KiB writes into 64 MiB part files, each committed. */
    private static double writerAlone(BlobServiceClient service, AzureBlobStorage storage, String containerName,
            long bytes) throws Exception {
        BlobContainerClient container = service.getBlobContainerClient(containerName);
        container.create();
        byte[] chunk = new byte[64 * 1024];
        byte[] line = FastRecords.line(0).getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < chunk.length; i++) {
            chunk[i] = line[i % line.length];
        }
        Path base = new Path("abfss://" + containerName + "@" + AzuriteProcess.ACCOUNT + ".dfs.core.windows.net/out");
        long start = System.nanoTime();
        try (StorageSession session = storage.open(base)) {
            long written = 0;
            for (int file = 0; written < bytes; file++) {
                Path target = new Path(base, "part-" + file);
                RecoverableFsDataOutputStream out = session.recoverableWriter().open(target);
                long inFile = 0;
                while (inFile < 64L * 1024 * 1024 && written < bytes) {
                    int n = (int) Math.min(chunk.length, bytes - written);
                    out.write(chunk, 0, n);
                    inFile += n;
                    written += n;
                }
                session.commit(target, out.closeForCommit().getRecoverable(), inFile);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        container.delete();
        return seconds;
    }

    /** The same job and sink into a local folder: the core's cost per record, without Blob Storage. */
    private static double localFolder(long records) throws Exception {
        java.nio.file.Path folder = java.nio.file.Files.createTempDirectory("azure-bench-local");
        try {
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(new Configuration());
            env.setRuntimeMode(RuntimeExecutionMode.STREAMING);
            env.setParallelism(1);
            env.enableCheckpointing(10_000);
            env.fromSource(new DataGeneratorSource<>(new FastRecords(), records, RateLimiterStrategy.noOp(), Types.STRING),
                            WatermarkStrategy.noWatermarks(), "records")
                    .sinkTo(FileSink.forRowFormat(new Path(folder.toUri()), new SimpleStringEncoder<String>())
                            .withBucketAssigner(new ModuloBuckets(1))
                            .withRollingPolicy(DefaultRollingPolicy.builder().withRolloverInterval(Duration.ofHours(1)).build())
                            .build());
            return env.execute("local").getNetRuntime() / 1000.0;
        } finally {
            BenchmarkSupport.deleteRecursively(folder);
        }
    }

    /** The same job into a sink that drops everything: what the source and the record path cost by themselves. */
    private static double discarding(long records) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(new Configuration());
        env.setRuntimeMode(RuntimeExecutionMode.STREAMING);
        env.setParallelism(1);
        env.enableCheckpointing(10_000);
        env.fromSource(new DataGeneratorSource<>(new FastRecords(), records, RateLimiterStrategy.noOp(), Types.STRING),
                        WatermarkStrategy.noWatermarks(), "records")
                .sinkTo(new org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink<>());
        return env.execute("discarding").getNetRuntime() / 1000.0;
    }

    /** Stages the bytes as 8 MiB blocks of 64 MiB blobs and commits each, on the given number of threads. */
    private static double raw(BlobServiceClient service, String containerName, long bytes, int threads) throws Exception {
        BlobContainerClient container = service.getBlobContainerClient(containerName);
        container.create();
        byte[] block = new byte[BLOCK];
        byte[] line = FastRecords.line(0).getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < block.length; i++) {
            block[i] = line[i % line.length];
        }
        long blocks = (bytes + BLOCK - 1) / BLOCK;
        int blocksPerBlob = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long start = System.nanoTime();
        List<Future<?>> uploads = new ArrayList<>();
        for (long blob = 0; blob * blocksPerBlob < blocks; blob++) {
            long first = blob * blocksPerBlob;
            long count = Math.min(blocksPerBlob, blocks - first);
            BlockBlobClient client = container.getBlobClient("blob-" + blob).getBlockBlobClient();
            List<String> ids = new ArrayList<>();
            List<Future<?>> staged = new ArrayList<>();
            for (long b = 0; b < count; b++) {
                String id = Base64.getEncoder().encodeToString(String.format("%08d", b).getBytes(StandardCharsets.US_ASCII));
                ids.add(id);
                staged.add(pool.submit(() -> client.stageBlock(id, BinaryData.fromBytes(block))));
            }
            uploads.add(pool.submit(() -> {
                for (Future<?> f : staged) {
                    f.get();
                }
                client.commitBlockList(ids);
                return null;
            }));
        }
        for (Future<?> upload : uploads) {
            upload.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        container.delete();
        return seconds;
    }

    private static double sink(BlobServiceClient service, AzuriteProcess azurite, AzureBlobStorage storage,
            String containerName, long records, int buckets, long checkpointMillis, int commitParallelism,
            boolean rollOnCheckpoint, double perSecond) throws Exception {
        BlobContainerClient container = service.getBlobContainerClient(containerName);
        container.create();
        Configuration conf = new Configuration();
        conf.setString("taskmanager.memory.managed.size", "64m");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setRuntimeMode(RuntimeExecutionMode.STREAMING);
        env.setParallelism(1);
        env.enableCheckpointing(checkpointMillis);
        DataGeneratorSource<String> source = new DataGeneratorSource<>(new FastRecords(), records,
                perSecond > 0 ? RateLimiterStrategy.perSecond(perSecond) : RateLimiterStrategy.noOp(), Types.STRING);
        FileSink.DefaultRowFormatBuilder<String> builder = FileSink.forRowFormat(
                        new Path("abfss://" + containerName + "@" + AzuriteProcess.ACCOUNT + ".dfs.core.windows.net/out"),
                        new SimpleStringEncoder<String>()).withStorage(storage)
                .withBucketAssigner(new ModuloBuckets(buckets))
                .withStorage(new CommitTimer(storage))
                .withCommitParallelism(commitParallelism);
        CommitTimer.reset();
        if (rollOnCheckpoint) {
            builder.withRollingPolicy(OnCheckpointRollingPolicy.build());
        } else {
            builder.withRollingPolicy(DefaultRollingPolicy.builder().withRolloverInterval(Duration.ofHours(1)).build());
        }
        FileSink<String> sink = builder.build();
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "records").sinkTo(sink);
        JobExecutionResult result = env.execute(containerName);
        double seconds = result.getNetRuntime() / 1000.0;

        long blobs = 0;
        long bytes = 0;
        for (BlobItem item : container.listBlobs()) {
            blobs++;
            bytes += item.getProperties().getContentLength();
        }
        long expected = records * FastRecords.RECORD_BYTES;
        System.out.printf(Locale.ROOT, "  [%s: %d blobs committed, %d bytes%s; %s]%n", containerName, blobs, bytes,
                bytes == expected ? "" : " -- EXPECTED " + expected, CommitTimer.summary());
        container.delete();
        return seconds;
    }

    /** Records of exactly {@link #RECORD_BYTES} bytes (newline included), cheap to generate. */
    static final class FastRecords implements GeneratorFunction<Long, String> {
        static final int RECORD_BYTES = 100;
        private static final long serialVersionUID = 1L;
        private static final String PADDING = "x".repeat(RECORD_BYTES - 1 - 7 - 12 - 1);

        /** {@code record-<12 digits>-xxx...}: built by hand, String.format would dominate the job's cost. */
        static String line(long id) {
            char[] chars = new char[RECORD_BYTES - 1];
            "record-".getChars(0, 7, chars, 0);
            long rest = id;
            for (int i = 18; i >= 7; i--) {
                chars[i] = (char) ('0' + rest % 10);
                rest /= 10;
            }
            chars[19] = '-';
            PADDING.getChars(0, PADDING.length(), chars, 20);
            return new String(chars);
        }

        @Override
        public String map(Long id) {
            return line(id);
        }
    }

    /** Spreads records over a fixed number of buckets by their id. */
    static final class ModuloBuckets implements BucketAssigner<String, String> {
        private static final long serialVersionUID = 1L;
        private final int buckets;

        ModuloBuckets(int buckets) {
            this.buckets = buckets;
        }

        @Override
        public String getBucketId(String element, Context context) {
            return buckets == 1 ? "" : "b" + (Long.parseLong(element.substring(7, 19)) % buckets);
        }

        @Override
        public SimpleVersionedSerializer<String> getSerializer() {
            return SimpleVersionedStringSerializer.INSTANCE;
        }
    }
}
