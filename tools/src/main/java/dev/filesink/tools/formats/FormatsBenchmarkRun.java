package dev.filesink.tools.formats;

import dev.filesink.bucketassigners.BasePathBucketAssigner;
import dev.filesink.formats.Formats;
import dev.filesink.formats.compression.Compression;
import dev.filesink.formats.compression.ParallelCompression;
import dev.filesink.formats.parquet.ParquetCodec;
import dev.filesink.tools.BenchmarkSupport;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.fs.Path;
import org.apache.flink.formats.avro.typeutils.GenericRecordAvroTypeInfo;
import org.apache.flink.formats.compress.CompressWriters;
import org.apache.flink.formats.compress.extractor.DefaultExtractor;
import org.apache.flink.formats.parquet.ParquetBuilder;
import org.apache.flink.formats.parquet.ParquetWriterFactory;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.OutputFile;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.io.LocalInputFile;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * One side of one scenario of {@link FormatsBenchmark}, in a JVM of its own with the benchmark's small heap: a
 * STREAMING job at parallelism 1 with checkpoints, through our sink or Flink's FileSink. Prints one RESULT line.
 */
public final class FormatsBenchmarkRun {

    public static void main(String[] args) throws Exception {
        Map<String, String> options = BenchmarkSupport.arguments(args);
        String scenario = options.get("scenario");
        boolean ours = options.get("side").equals("ours");
        long records = Long.parseLong(options.get("records"));
        int buckets = Integer.parseInt(options.getOrDefault("buckets", "1"));
        long timeoutSeconds = Long.parseLong(options.get("timeout"));
        long checkpointMs = Long.parseLong(options.get("checkpoint-ms"));
        java.nio.file.Path dir = java.nio.file.Path.of(options.get("dir"));
        BenchmarkSupport.deleteRecursively(dir);

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(new Configuration());
        env.setRuntimeMode(RuntimeExecutionMode.STREAMING);
        env.setParallelism(1);
        env.enableCheckpointing(checkpointMs);
        env.getConfig().enableObjectReuse();
        Path base = new Path(dir.toUri());
        if (scenario.equals("parquet")) {
            DataStream<GenericRecord> orders = env.fromSource(new DataGeneratorSource<>(new BenchRecords.Avro(), records,
                    RateLimiterStrategy.noOp(), new GenericRecordAvroTypeInfo(BenchRecords.SCHEMA)),
                    WatermarkStrategy.noWatermarks(), "orders");
            if (ours) {
                // The memory budget keeps thousands of open Parquet files (each holds its row group until the
                // checkpoint) within the small heap: past it, the largest files are rolled early.
                orders.sinkTo(Formats.parquet(BenchRecords.SCHEMA).withCompression(ParquetCodec.SNAPPY).sink(base)
                        .withBucketAssigner(new CustomerBuckets(buckets))
                        .withMaxBufferedBytes(Long.parseLong(options.getOrDefault("budget-mb", "128")) << 20)
                        .build());
            } else {
                orders.sinkTo(org.apache.flink.connector.file.sink.FileSink
                        .forBulkFormat(base, flinkParquetSnappy())
                        .withBucketAssigner(new CustomerBuckets(buckets))
                        .withOutputFileConfig(OutputFileConfig.builder().withPartSuffix(".parquet").build())
                        .build());
            }
        } else {
            DataStream<BenchRecords.Order> orders = env.fromSource(new DataGeneratorSource<>(new BenchRecords.Pojos(),
                    records, RateLimiterStrategy.noOp(), TypeInformation.of(BenchRecords.Order.class)),
                    WatermarkStrategy.noWatermarks(), "orders");
            if (ours) {
                int level = Integer.parseInt(options.getOrDefault("gzip-level", "6"));
                // Our documented defaults (parallel compression, one thread per processor, 256 KiB blocks) unless
                // --compression-threads (0: inline) or --compression-block-kib are given.
                ParallelCompression parallel = ParallelCompression.defaults();
                if (options.containsKey("compression-threads")) {
                    parallel = parallel.withThreads(Integer.parseInt(options.get("compression-threads")));
                }
                if (options.containsKey("compression-block-kib")) {
                    parallel = parallel.withBlockSize(Integer.parseInt(options.get("compression-block-kib")) * 1024);
                }
                System.out.println("ours: gzip level " + level + ", compression " + parallel);
                orders.sinkTo(Formats.jsonLines(BenchRecords.Order.class).withCompression(Compression.GZIP, level)
                        .withParallelCompression(parallel).sink(base)
                        .withBucketAssigner(new BasePathBucketAssigner<>()).build());
            } else {
                // What a Flink user does: JSON via Jackson, gzip via flink-compress (a bulk format, rolled on checkpoint).
                orders.map(new ToJson())
                        .sinkTo(org.apache.flink.connector.file.sink.FileSink
                                .forBulkFormat(base, CompressWriters.forExtractor(new DefaultExtractor<String>())
                                        .withHadoopCompression("Gzip"))
                                .withBucketAssigner(new org.apache.flink.streaming.api.functions.sink.filesystem
                                        .bucketassigners.BasePathBucketAssigner<>())
                                .withOutputFileConfig(OutputFileConfig.builder().withPartSuffix(".jsonl.gz").build())
                                .build());
            }
        }

        long start = System.nanoTime();
        JobClient job = env.executeAsync("formats benchmark: " + scenario + " " + options.get("side"));
        boolean finished = false;
        long deadline = start + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        try {
            while (!finished && System.nanoTime() < deadline) {
                try {
                    job.getJobExecutionResult().get(5, TimeUnit.SECONDS);
                    finished = true;
                } catch (TimeoutException e) {
                    // keep waiting until the deadline
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            List<java.nio.file.Path> files = BenchmarkSupport.finishedFiles(dir);
            long bytes = 0;
            for (java.nio.file.Path file : files) {
                bytes += Files.size(file);
            }
            // Records a reader sees in the finished files (a timed-out run: what it committed so far).
            long written = scenario.equals("parquet") ? parquetRows(files) : jsonLines(files);
            long first = BenchRecords.firstRecordNanos();
            double startup = first == 0 ? 0 : (first - start) / 1e9;
            System.out.printf("RESULT finished=%s seconds=%.2f startup=%.2f records=%d files=%d bytes=%d%n",
                    finished, seconds, startup, written, files.size(), bytes);
            System.out.flush();
            if (!finished) {
                job.cancel().get(60, TimeUnit.SECONDS);
            }
        } catch (Throwable t) {
            t.printStackTrace(System.out);
        } finally {
            System.exit(0);
        }
    }

    /**
     * Flink's Parquet writer factory with snappy, as a Flink user writes it ({@code AvroParquetWriters} has no
     * codec option): {@code AvroParquetWriter.builder(out)} per part file, which builds a new Hadoop configuration.
     */
    private static ParquetWriterFactory<GenericRecord> flinkParquetSnappy() {
        String schema = BenchRecords.SCHEMA.toString();
        return new ParquetWriterFactory<>(new ParquetBuilder<GenericRecord>() {
            @Override
            public ParquetWriter<GenericRecord> createWriter(OutputFile out) throws java.io.IOException {
                return AvroParquetWriter.<GenericRecord>builder(out)
                        .withSchema(new org.apache.avro.Schema.Parser().parse(schema))
                        .withDataModel(org.apache.avro.generic.GenericData.get())
                        .withCompressionCodec(CompressionCodecName.SNAPPY)
                        .build();
            }
        });
    }

    /** Jackson, one ObjectMapper per subtask, as a Flink job would serialize for a text sink. */
    private static final class ToJson extends RichMapFunction<BenchRecords.Order, String> {
        private static final long serialVersionUID = 1L;
        private transient ObjectMapper mapper;

        @Override
        public String map(BenchRecords.Order order) throws Exception {
            if (mapper == null) {
                mapper = new ObjectMapper();
            }
            return mapper.writeValueAsString(order);
        }
    }

    private static long parquetRows(List<java.nio.file.Path> files) throws Exception {
        long rows = 0;
        for (java.nio.file.Path file : files) {
            try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file))) {
                for (BlockMetaData block : reader.getFooter().getBlocks()) {
                    rows += block.getRowCount();
                }
            }
        }
        return rows;
    }

    private static long jsonLines(List<java.nio.file.Path> files) throws Exception {
        long lines = 0;
        for (java.nio.file.Path file : files) {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                    new GZIPInputStream(Files.newInputStream(file), 65536), StandardCharsets.UTF_8))) {
                while (reader.readLine() != null) {
                    lines++;
                }
            }
        }
        return lines;
    }
}
