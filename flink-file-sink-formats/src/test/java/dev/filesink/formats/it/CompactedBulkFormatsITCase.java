package dev.filesink.formats.it;

import dev.filesink.FileSink;
import dev.filesink.formats.Formats;
import dev.filesink.formats.avro.AvroFileCompactor;
import dev.filesink.formats.orc.OrcFileCompactor;
import dev.filesink.formats.parquet.ParquetFileCompactor;
import dev.filesink.formats.testing.ExactlyOnce;
import dev.filesink.formats.testing.ModuloAssigner;
import dev.filesink.formats.testing.Order;
import dev.filesink.formats.testing.OrderVectorizer;
import dev.filesink.formats.testing.Orders;
import dev.filesink.formats.testing.Readers;
import dev.filesink.storage.FileSystemStorage;
import dev.filesink.testing.CompactionFailureStorage;
import dev.filesink.testing.CompactionFailureStorage.Step;
import dev.filesink.testing.Jobs;

import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.file.DataFileConstants;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.serialization.BulkWriter;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.file.sink.compactor.FileCompactStrategy;
import org.apache.flink.connector.file.sink.compactor.FileCompactor;
import org.apache.flink.connector.file.sink.compactor.RecordWiseFileCompactor;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.hadoop.conf.Configuration;
import org.apache.orc.OrcFile;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.io.LocalInputFile;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bulk formats compacted in a STREAMING MiniCluster job (with a failure at every compaction step, except the
 * record-wise Parquet and ORC case), read back with each format's own reader: every order exactly once. Record-wise
 * (decoded and encoded again through the sink's writer) and without re-encoding (Avro blocks, Parquet row groups, ORC
 * stripes copied as they are). Each part file
 * holds one checkpoint's records, far below a block, row group or stripe: a compacted file made of copied units has
 * one per input (at least two), one written again record by record has one.
 */
class CompactedBulkFormatsITCase {

    /** A second schema of the orders: files of it are never merged with files of {@link Orders#SCHEMA}. */
    private static final Schema SCHEMA_V2 = SchemaBuilder.record("Order").namespace("dev.filesink.test").fields()
            .requiredLong("id")
            .requiredString("name")
            .requiredDouble("amount")
            .optionalString("note")
            .name("region").type().stringType().stringDefault("eu")
            .endRecord();

    @TempDir java.nio.file.Path out;

    @Test
    void avroCompactedRecordWiseWithFailures() throws Exception {
        long count = 6_000;
        CompactionFailureStorage storage = run(count, Orders::generic, TypeInformation.of(GenericRecord.class),
                r -> (Long) r.get("id"), Formats.avro(Orders.SCHEMA).writerFactory(),
                new RecordWiseFileCompactor<>(new AvroFiles()));

        List<java.nio.file.Path> files = readBack(count, Readers::avro, "avro compacted record-wise");
        assertAllFired(storage);
        // Written again record by record: one block per compacted file below Avro's sync interval.
        assertThat(compacted(files)).isNotEmpty().allSatisfy(file -> {
            if (Files.size(file) < DataFileConstants.DEFAULT_SYNC_INTERVAL) {
                assertThat(avroBlocks(file)).as("blocks of %s", file).isEqualTo(1);
            }
        });
    }

    @Test
    void avroBlocksAppendedWithoutDecodingNeverMergingTwoSchemas() throws Exception {
        long count = 3_000;
        CompactionFailureStorage storage = run(count, CompactedBulkFormatsITCase::ofTwoSchemas,
                TypeInformation.of(GenericRecord.class), r -> (Long) r.get("id"),
                Formats.avro(Orders.SCHEMA).writerFactory(), new AvroFileCompactor());

        List<java.nio.file.Path> files = readBack(count, Readers::avro, "avro blocks appended");
        assertAllFired(storage);
        assertThat(compacted(files)).allSatisfy(file -> assertThat(avroBlocks(file)).as("blocks of %s", file)
                .isGreaterThanOrEqualTo(2));
        assertThat(compacted(files)).extracting(CompactedBulkFormatsITCase::avroSchema)
                .contains(Orders.SCHEMA, SCHEMA_V2);
    }

    @Test
    void parquetRowGroupsAppendedWithoutDecodingNeverMergingTwoSchemas() throws Exception {
        long count = 3_000;
        CompactionFailureStorage storage = run(count, CompactedBulkFormatsITCase::ofTwoSchemas,
                TypeInformation.of(GenericRecord.class), r -> (Long) r.get("id"),
                Formats.parquet(Orders.SCHEMA).writerFactory(), new ParquetFileCompactor());

        List<java.nio.file.Path> files = readBack(count, Readers::parquet, "parquet row groups appended");
        assertAllFired(storage);
        assertThat(compacted(files)).allSatisfy(file -> assertThat(parquetRowGroups(file))
                .as("row groups of %s", file).isGreaterThanOrEqualTo(2));
        assertThat(compacted(files)).extracting(CompactedBulkFormatsITCase::parquetAvroSchema)
                .contains(Orders.SCHEMA, SCHEMA_V2);
    }

    @Test
    void orcStripesAppendedWithoutDecoding() throws Exception {
        long count = 3_000;
        CompactionFailureStorage storage = run(count, Order::of, TypeInformation.of(Order.class), order -> order.id,
                Formats.orc(new OrderVectorizer()).writerFactory(), new OrcFileCompactor());

        List<java.nio.file.Path> files = readBack(count, Readers::orc, "orc stripes appended");
        assertAllFired(storage);
        assertThat(compacted(files)).allSatisfy(file -> assertThat(orcStripes(file))
                .as("stripes of %s", file).isGreaterThanOrEqualTo(2));
    }

    /** Both in one job (one cluster start), without failures: the record-wise path is the one Avro's case tests. */
    @Test
    void parquetNeverMergingTwoSchemasAndOrcCompactedRecordWise() throws Exception {
        long count = 1_500;
        StreamExecutionEnvironment env = environment();
        DataStream<Long> ids = ids(env, count);
        CompactionFailureStorage noFailures = new CompactionFailureStorage(FileSystemStorage.INSTANCE);
        ids.map(CompactedBulkFormatsITCase::ofTwoSchemas).returns(TypeInformation.of(GenericRecord.class))
                .sinkTo(sink(out.resolve("parquet"), r -> (Long) r.get("id"),
                        Formats.parquet(Orders.SCHEMA).writerFactory(),
                        new RecordWiseFileCompactor<>(new ParquetFiles()), noFailures));
        ids.map(Order::of).returns(TypeInformation.of(Order.class))
                .sinkTo(sink(out.resolve("orc"), order -> order.id, Formats.orc(new OrderVectorizer()).writerFactory(),
                        new RecordWiseFileCompactor<>(new OrcFiles()), noFailures));
        env.execute("record-wise compaction of Parquet and ORC");

        List<java.nio.file.Path> parquet =
                readBack(out.resolve("parquet"), count, Readers::parquet, "parquet record-wise");
        assertThat(compacted(parquet)).allSatisfy(file -> assertThat(parquetRowGroups(file))
                .as("row groups of %s", file).isEqualTo(1));
        assertThat(compacted(parquet)).extracting(CompactedBulkFormatsITCase::parquetAvroSchema)
                .contains(Orders.SCHEMA, SCHEMA_V2);
        List<java.nio.file.Path> orc = readBack(out.resolve("orc"), count, Readers::orc, "orc record-wise");
        assertThat(compacted(orc)).allSatisfy(file -> assertThat(orcStripes(file))
                .as("stripes of %s", file).isEqualTo(1));
    }

    // ---- the job ------------------------------------------------------------------------------------------------

    /** Orders whose schema changes every 500 ids: the writers roll on each change, so buckets hold files of both. */
    private static GenericRecord ofTwoSchemas(long id) {
        GenericRecord order = Orders.generic(id);
        if ((id / 500) % 2 == 0) {
            return order;
        }
        GenericRecord v2 = new GenericData.Record(SCHEMA_V2);
        for (Schema.Field field : Orders.SCHEMA.getFields()) {
            v2.put(field.name(), order.get(field.name()));
        }
        v2.put("region", "eu");
        return v2;
    }

    /** Parallelism 2, 3 buckets, 3,000 records a second, a checkpoint every 200 ms, a failure at each step. */
    private <T> CompactionFailureStorage run(long count, MapFunction<Long, T> records, TypeInformation<T> type,
            SerializableFunction<T, Long> id, BulkWriter.Factory<T> writer, FileCompactor compactor) throws Exception {
        return run(count, records, type, id, writer, compactor,
                Step.DURING_COMPACTION, Step.BEFORE_COMMIT, Step.DURING_INPUT_CLEANUP);
    }

    private <T> CompactionFailureStorage run(long count, MapFunction<Long, T> records, TypeInformation<T> type,
            SerializableFunction<T, Long> id, BulkWriter.Factory<T> writer, FileCompactor compactor,
            Step... failures) throws Exception {
        CompactionFailureStorage storage = new CompactionFailureStorage(FileSystemStorage.INSTANCE, failures);
        StreamExecutionEnvironment env = environment();
        ids(env, count).map(records).returns(type).sinkTo(sink(out, id, writer, compactor, storage));
        env.execute("compaction with " + compactor.getClass().getSimpleName());
        return storage;
    }

    private static StreamExecutionEnvironment environment() {
        StreamExecutionEnvironment env = Jobs.streaming(2, 200);
        env.getConfig().enableObjectReuse();
        return env;
    }

    private static DataStream<Long> ids(StreamExecutionEnvironment env, long count) {
        return env.fromSource(
                new DataGeneratorSource<>(index -> index, count, RateLimiterStrategy.perSecond(3_000), Types.LONG),
                WatermarkStrategy.noWatermarks(), "ids");
    }

    private static <T> FileSink<T> sink(java.nio.file.Path root, SerializableFunction<T, Long> id,
            BulkWriter.Factory<T> writer, FileCompactor compactor, CompactionFailureStorage storage) {
        return FileSink.forBulkFormat(new Path(root.toUri()), writer)
                .withBucketAssigner(new ModuloAssigner<>(id, 3))
                .withStorage(storage)
                .enableCompact(
                        FileCompactStrategy.Builder.newBuilder()
                                .setSizeThreshold(16 * 1024)
                                .enableCompactionOnCheckpoint(3)
                                .build(),
                        compactor)
                .build();
    }

    private <R> List<java.nio.file.Path> readBack(
            long count, Function<java.nio.file.Path, List<R>> reader, String what) {
        return readBack(out, count, reader, what);
    }

    private static <R> List<java.nio.file.Path> readBack(
            java.nio.file.Path root, long count, Function<java.nio.file.Path, List<R>> reader, String what) {
        List<Order> orders = new ArrayList<>();
        List<java.nio.file.Path> files = ExactlyOnce.finishedFiles(root, "");
        for (java.nio.file.Path file : files) {
            for (R record : reader.apply(file)) {
                orders.add(record instanceof Order order ? order : Orders.fromAvro((GenericRecord) record));
            }
        }
        ExactlyOnce.assertOrders(orders, count, what);
        assertThat(compacted(files)).as("compacted files").isNotEmpty();
        return files;
    }

    private static void assertAllFired(CompactionFailureStorage storage) {
        assertThat(storage.fired(Step.DURING_COMPACTION)).isEqualTo(1);
        assertThat(storage.fired(Step.BEFORE_COMMIT)).isEqualTo(1);
        assertThat(storage.fired(Step.DURING_INPUT_CLEANUP)).isEqualTo(1);
    }

    private static List<java.nio.file.Path> compacted(List<java.nio.file.Path> files) {
        return files.stream().filter(file -> file.getFileName().toString().startsWith("compacted-")).toList();
    }

    // ---- what the files are made of -----------------------------------------------------------------------------

    private static int avroBlocks(java.nio.file.Path file) {
        try (InputStream in = Files.newInputStream(file);
                DataFileStream<Object> stream = new DataFileStream<>(in, new GenericDatumReader<>())) {
            int blocks = 0;
            while (stream.hasNext()) {
                stream.nextBlock();
                blocks++;
            }
            return blocks;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Schema avroSchema(java.nio.file.Path file) {
        try (InputStream in = Files.newInputStream(file);
                DataFileStream<Object> stream = new DataFileStream<>(in, new GenericDatumReader<>())) {
            return stream.getSchema();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int parquetRowGroups(java.nio.file.Path file) {
        try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file))) {
            return reader.getRowGroups().size();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Schema parquetAvroSchema(java.nio.file.Path file) {
        try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file))) {
            return new Schema.Parser().parse(
                    reader.getFooter().getFileMetaData().getKeyValueMetaData().get("parquet.avro.schema"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int orcStripes(java.nio.file.Path file) {
        try {
            return OrcFile.createReader(new org.apache.hadoop.fs.Path(file.toUri()),
                    OrcFile.readerOptions(new Configuration())).getStripes().size();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- record-wise readers, as a user would give them to Flink's RecordWiseFileCompactor ------------------------

    /** Reads Avro container files. */
    private static final class AvroFiles implements RecordWiseFileCompactor.Reader.Factory<GenericRecord> {
        private static final long serialVersionUID = 1L;

        @Override
        public RecordWiseFileCompactor.Reader<GenericRecord> createFor(Path path) throws IOException {
            DataFileStream<GenericRecord> stream =
                    new DataFileStream<>(path.getFileSystem().open(path), new GenericDatumReader<>());
            return new RecordWiseFileCompactor.Reader<>() {
                @Override
                public GenericRecord read() {
                    return stream.hasNext() ? stream.next() : null;
                }

                @Override
                public void close() throws IOException {
                    stream.close();
                }
            };
        }
    }

    /** Reads Parquet files of Avro records (local files: this test's). */
    private static final class ParquetFiles implements RecordWiseFileCompactor.Reader.Factory<GenericRecord> {
        private static final long serialVersionUID = 1L;

        @Override
        public RecordWiseFileCompactor.Reader<GenericRecord> createFor(Path path) throws IOException {
            ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(
                            new LocalInputFile(java.nio.file.Path.of(path.toUri())))
                    .withDataModel(GenericData.get())
                    .withConf(new Configuration(false))
                    .build();
            return new RecordWiseFileCompactor.Reader<>() {
                @Override
                public GenericRecord read() throws IOException {
                    return reader.read();
                }

                @Override
                public void close() throws IOException {
                    reader.close();
                }
            };
        }
    }

    /** Reads ORC files of orders (local files: this test's). */
    private static final class OrcFiles implements RecordWiseFileCompactor.Reader.Factory<Order> {
        private static final long serialVersionUID = 1L;

        @Override
        public RecordWiseFileCompactor.Reader<Order> createFor(Path path) {
            Iterator<Order> orders = Readers.orc(java.nio.file.Path.of(path.toUri())).iterator();
            return new RecordWiseFileCompactor.Reader<>() {
                @Override
                public Order read() {
                    return orders.hasNext() ? orders.next() : null;
                }

                @Override
                public void close() {}
            };
        }
    }
}
