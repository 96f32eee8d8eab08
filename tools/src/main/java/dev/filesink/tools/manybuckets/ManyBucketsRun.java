package dev.filesink.tools.manybuckets;

import dev.filesink.bucketassigners.partitioning.FieldAccess;
import dev.filesink.bucketassigners.partitioning.FieldPartitionBucketAssigner;
import dev.filesink.formats.Formats;
import dev.filesink.formats.parquet.ParquetCodec;
import dev.filesink.tools.BenchmarkSupport;

import org.apache.avro.generic.GenericRecord;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.fs.Path;
import org.apache.flink.formats.avro.typeutils.GenericRecordAvroTypeInfo;
import org.apache.flink.formats.parquet.avro.AvroParquetWriters;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.parquet.HadoopReadOptions;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.io.LocalInputFile;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One side of {@link ManyBucketsBenchmark}, in a JVM of its own (so that each side has the whole small heap): a
 * STREAMING job at parallelism 1 writing Avro orders as Parquet, partitioned by customer, through one sink.
 * Prints progress lines and one {@code RESULT} line.
 */
public final class ManyBucketsRun {

    /** The sinks the benchmark compares. */
    enum Side {
        /** Our sink with our Parquet writer, which reports its buffered row group, and the memory budget. */
        OURS,
        /** Our sink with Flink's Parquet writer (which reports nothing) and the same limits. */
        OURS_FLINK_PARQUET,
        /** Flink's own FileSink with Flink's Parquet writer. */
        FLINK
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = BenchmarkSupport.arguments(args);
        Side side = Side.valueOf(options.get("side").toUpperCase().replace('-', '_'));
        long records = Long.parseLong(options.get("records"));
        int customers = Integer.parseInt(options.get("customers"));
        long timeoutSeconds = Long.parseLong(options.get("timeout"));
        long checkpointMs = Long.parseLong(options.get("checkpoint-ms"));
        long budget = Long.parseLong(options.get("budget-mb")) * 1024 * 1024;
        int maxOpen = Integer.parseInt(options.get("max-open"));
        int writeBuffer = Integer.parseInt(options.get("write-buffer-kb")) * 1024;
        java.nio.file.Path dir = java.nio.file.Path.of(options.get("dir"));
        BenchmarkSupport.deleteRecursively(dir);

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(new Configuration());
        env.setRuntimeMode(RuntimeExecutionMode.STREAMING);
        env.setParallelism(1);
        env.enableCheckpointing(checkpointMs);
        env.getConfig().enableObjectReuse();
        DataGeneratorSource<GenericRecord> source = new DataGeneratorSource<>(new Orders.Generator(customers), records,
                RateLimiterStrategy.noOp(), new GenericRecordAvroTypeInfo(Orders.schema()));
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "orders")
                .sinkTo(sink(side, new Path(dir.toUri()), budget, maxOpen, writeBuffer))
                .name(side.name().toLowerCase());

        long gcBefore = HeapWatch.gcMillis();
        try (HeapWatch heap = new HeapWatch()) {
            long start = System.nanoTime();
            JobClient job = env.executeAsync("many buckets: " + side);
            long deadline = start + TimeUnit.SECONDS.toNanos(timeoutSeconds);
            boolean finished = false;
            while (!finished && System.nanoTime() < deadline) {
                try {
                    job.getJobExecutionResult().get(10, TimeUnit.SECONDS);
                    finished = true;
                } catch (TimeoutException e) {
                    System.out.printf("PROGRESS %5.0f s: %,11d records, live heap %s, GC so far %,d ms%n",
                            (System.nanoTime() - start) / 1e9, Orders.GENERATED.get(),
                            BenchmarkSupport.mib(heap.live()), HeapWatch.gcMillis() - gcBefore);
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            long generated = Orders.GENERATED.get();
            System.out.printf("RESULT side=%s finished=%s records=%d seconds=%.1f files=%d bytes=%d maxHeap=%d "
                            + "maxLive=%d gcMs=%d verified=%d%n",
                    side, finished, generated, seconds, BenchmarkSupport.finishedFiles(dir).size(), bytes(dir), heap.maxUsed(),
                    heap.maxLive(), HeapWatch.gcMillis() - gcBefore, finished ? countRows(dir) : -1);
            System.out.flush();
            if (!finished) {
                job.cancel().get(60, TimeUnit.SECONDS);
            }
        } catch (Throwable t) {
            t.printStackTrace(System.out);
        } finally {
            // Flink's threads would keep a cancelled or failed job's JVM alive.
            System.exit(0);
        }
    }

    private static Sink<GenericRecord> sink(Side side, Path base, long budget, int maxOpen, int writeBuffer) {
        FieldAccess<GenericRecord> avro = name -> record -> record.get(name);
        FieldPartitionBucketAssigner<GenericRecord> byCustomer =
                FieldPartitionBucketAssigner.forRecords(avro).field("customer").build();
        OutputFileConfig parquetSuffix = OutputFileConfig.builder().withPartSuffix(".parquet").build();
        switch (side) {
            case OURS:
                return Formats.parquet(Orders.schema())
                        .withCompression(ParquetCodec.NONE)
                        .sink(base)
                        .withBucketAssigner(byCustomer)
                        .withMaxBufferedBytes(budget)
                        .withMaxOpenPartFiles(maxOpen)
                        .withWriteBufferSize(writeBuffer)
                        .build();
            case OURS_FLINK_PARQUET:
                return dev.filesink.FileSink.forBulkFormat(base, AvroParquetWriters.forGenericRecord(Orders.schema()))
                        .withBucketAssigner(byCustomer)
                        .withOutputFileConfig(parquetSuffix)
                        .withMaxBufferedBytes(budget)
                        .withMaxOpenPartFiles(maxOpen)
                        .withWriteBufferSize(writeBuffer)
                        .build();
            case FLINK:
                return org.apache.flink.connector.file.sink.FileSink
                        .forBulkFormat(base, AvroParquetWriters.forGenericRecord(Orders.schema()))
                        .withBucketAssigner(byCustomer)
                        .withOutputFileConfig(parquetSuffix)
                        .build();
            default:
                throw new IllegalArgumentException(side.toString());
        }
    }

    private static long bytes(java.nio.file.Path dir) throws Exception {
        long total = 0;
        for (java.nio.file.Path file : BenchmarkSupport.finishedFiles(dir)) {
            total += Files.size(file);
        }
        return total;
    }

    /** Rows in the finished files, from the Parquet footers: what a reader would see. */
    private static long countRows(java.nio.file.Path dir) throws Exception {
        // One Hadoop configuration for all files: building one parses Hadoop's XML defaults (tens of ms).
        ParquetReadOptions options = HadoopReadOptions.builder(new org.apache.hadoop.conf.Configuration()).build();
        long rows = 0;
        for (java.nio.file.Path file : BenchmarkSupport.finishedFiles(dir)) {
            try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file), options)) {
                for (BlockMetaData block : reader.getFooter().getBlocks()) {
                    rows += block.getRowCount();
                }
            }
        }
        return rows;
    }
}
