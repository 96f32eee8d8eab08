package dev.filesink.formats.bulk;

import dev.filesink.formats.avro.AvroFileCompactor;
import dev.filesink.formats.orc.OrcFileCompactor;
import dev.filesink.formats.parquet.ParquetFileCompactor;
import dev.filesink.formats.testing.Order;
import dev.filesink.formats.testing.OrderVectorizer;
import dev.filesink.formats.testing.Orders;
import dev.filesink.formats.testing.Readers;

import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.core.fs.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hive.ql.exec.vector.VectorizedRowBatch;
import org.apache.orc.CompressionKind;
import org.apache.orc.OrcFile;
import org.apache.orc.TypeDescription;
import org.apache.orc.Writer;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.LocalOutputFile;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The bulk formats' compactors on files written by each format's own library: the output holds exactly the inputs'
 * blocks, row groups or stripes and records, and files that cannot share a header or footer are refused, named.
 */
class BulkFileCompactorsTest {

    private static final Schema OTHER_SCHEMA = SchemaBuilder.record("Order").namespace("dev.filesink.test").fields()
            .requiredLong("id")
            .requiredString("name")
            .requiredDouble("amount")
            .optionalString("note")
            .name("region").type().stringType().stringDefault("eu")
            .endRecord();

    @TempDir java.nio.file.Path dir;

    @Test
    void avroCopiesEveryBlockAndRefusesAnotherSchemaOrCodec() throws Exception {
        java.nio.file.Path a = avro("a.avro", Orders.SCHEMA, CodecFactory.snappyCodec(), 0, 300);
        java.nio.file.Path b = avro("b.avro", Orders.SCHEMA, CodecFactory.snappyCodec(), 300, 500);
        java.nio.file.Path output = dir.resolve("compacted.avro");
        AvroFileCompactor compactor = new AvroFileCompactor();

        compact(compactor, output, a, b);

        assertThat(avroBlocks(output)).isEqualTo(avroBlocks(a) + avroBlocks(b)).isGreaterThan(2);
        assertThat(Readers.avro(output)).extracting(r -> (Long) r.get("id")).hasSize(500).doesNotHaveDuplicates();
        assertThat(compactor.mergeKey(path(a))).isEqualTo(compactor.mergeKey(path(b)));

        java.nio.file.Path otherSchema = avro("c.avro", OTHER_SCHEMA, CodecFactory.snappyCodec(), 500, 510);
        java.nio.file.Path otherCodec = avro("d.avro", Orders.SCHEMA, CodecFactory.nullCodec(), 510, 520);
        assertThat(compactor.mergeKey(path(otherSchema))).isNotEqualTo(compactor.mergeKey(path(a)));
        assertThat(compactor.mergeKey(path(otherCodec))).isNotEqualTo(compactor.mergeKey(path(a)));
        assertThatThrownBy(() -> compact(compactor, dir.resolve("x"), a, otherSchema))
                .hasMessageContaining("c.avro").hasMessageContaining("a.avro").hasMessageContaining("schemas differ");
        assertThatThrownBy(() -> compact(compactor, dir.resolve("y"), a, otherCodec))
                .hasMessageContaining("d.avro").hasMessageContaining("codecs differ");
    }

    @Test
    void parquetCopiesEveryRowGroupAndRefusesAnotherSchema() throws Exception {
        java.nio.file.Path a = parquet("a.parquet", Orders.SCHEMA, 0, 1_000);
        java.nio.file.Path b = parquet("b.parquet", Orders.SCHEMA, 1_000, 1_500);
        java.nio.file.Path output = dir.resolve("compacted.parquet");
        ParquetFileCompactor compactor = new ParquetFileCompactor();

        compact(compactor, output, a, b);

        assertThat(rowGroups(output)).isEqualTo(rowGroups(a) + rowGroups(b)).isGreaterThan(2);
        assertThat(Readers.parquet(output)).extracting(r -> (Long) r.get("id")).hasSize(1_500).doesNotHaveDuplicates();

        java.nio.file.Path other = parquet("c.parquet", OTHER_SCHEMA, 1_500, 1_510);
        assertThat(compactor.mergeKey(path(other))).isNotEqualTo(compactor.mergeKey(path(a)));
        assertThatThrownBy(() -> compact(compactor, dir.resolve("x"), a, other))
                .hasMessageContaining("c.parquet").hasMessageContaining("a.parquet").hasMessageContaining("differ");
    }

    @Test
    void orcCopiesEveryStripeAndRefusesAnotherCompression() throws Exception {
        java.nio.file.Path a = orc("a.orc", CompressionKind.ZLIB, 0, 1_000);
        java.nio.file.Path b = orc("b.orc", CompressionKind.ZLIB, 1_000, 1_500);
        java.nio.file.Path output = dir.resolve("compacted.orc");
        OrcFileCompactor compactor = new OrcFileCompactor();

        compact(compactor, output, a, b);

        assertThat(stripes(output)).isEqualTo(stripes(a) + stripes(b));
        List<Order> orders = Readers.orc(output);
        assertThat(orders).hasSize(1_500).allSatisfy(order -> assertThat(order).isEqualTo(Order.of(order.id)));
        assertThat(orders).extracting(order -> order.id).doesNotHaveDuplicates();

        java.nio.file.Path other = orc("c.orc", CompressionKind.SNAPPY, 1_500, 1_510);
        assertThat(compactor.mergeKey(path(other))).isNotEqualTo(compactor.mergeKey(path(a)));
        assertThatThrownBy(() -> compact(compactor, dir.resolve("x"), a, other))
                .hasMessageContaining("c.orc").hasMessageContaining("a.orc").hasMessageContaining("compressions differ");
    }

    // ---- inputs written by each format's own library ------------------------------------------------------------

    private java.nio.file.Path avro(String name, Schema schema, CodecFactory codec, long from, long to)
            throws IOException {
        java.nio.file.Path file = dir.resolve(name);
        try (DataFileWriter<GenericRecord> writer = new DataFileWriter<>(new GenericDatumWriter<GenericRecord>())) {
            writer.setCodec(codec);
            writer.setSyncInterval(1_024); // several blocks per file
            writer.create(schema, file.toFile());
            for (long id = from; id < to; id++) {
                writer.append(record(schema, id));
            }
        }
        return file;
    }

    private java.nio.file.Path parquet(String name, Schema schema, long from, long to) throws IOException {
        java.nio.file.Path file = dir.resolve(name);
        try (ParquetWriter<GenericRecord> writer = AvroParquetWriter.<GenericRecord>builder(new LocalOutputFile(file))
                .withSchema(schema)
                .withConf(new Configuration(false))
                .withRowGroupSize(8 * 1024L) // several row groups per file
                .withPageSize(4 * 1024)
                .build()) {
            for (long id = from; id < to; id++) {
                writer.write(record(schema, id));
            }
        }
        return file;
    }

    private java.nio.file.Path orc(String name, CompressionKind compression, long from, long to) throws IOException {
        java.nio.file.Path file = dir.resolve(name);
        Writer writer = OrcFile.createWriter(new org.apache.hadoop.fs.Path(file.toUri()),
                OrcFile.writerOptions(new Configuration(false))
                        .setSchema(TypeDescription.fromString(OrderVectorizer.SCHEMA))
                        .compress(compression));
        OrderVectorizer vectorizer = new OrderVectorizer();
        VectorizedRowBatch batch = TypeDescription.fromString(OrderVectorizer.SCHEMA).createRowBatch();
        for (long id = from; id < to; id++) {
            vectorizer.vectorize(Order.of(id), batch);
            if (batch.size == batch.getMaxSize()) {
                writer.addRowBatch(batch);
                batch.reset();
            }
        }
        writer.addRowBatch(batch);
        writer.close();
        return file;
    }

    private static GenericRecord record(Schema schema, long id) {
        GenericRecord order = Orders.generic(id);
        if (schema == Orders.SCHEMA) {
            return order;
        }
        GenericRecord other = new org.apache.avro.generic.GenericData.Record(schema);
        for (Schema.Field field : Orders.SCHEMA.getFields()) {
            other.put(field.name(), order.get(field.name()));
        }
        other.put("region", "eu");
        return other;
    }

    // ---- compaction and what the files hold ---------------------------------------------------------------------

    private static void compact(org.apache.flink.connector.file.sink.compactor.OutputStreamBasedFileCompactor compactor,
            java.nio.file.Path output, java.nio.file.Path... inputs) throws Exception {
        try (OutputStream out = Files.newOutputStream(output)) {
            compactor.compact(java.util.Arrays.stream(inputs).map(BulkFileCompactorsTest::path).toList(), out);
        }
    }

    private static Path path(java.nio.file.Path file) {
        return new Path(file.toUri());
    }

    private static int avroBlocks(java.nio.file.Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file);
                DataFileStream<Object> stream = new DataFileStream<>(in, new GenericDatumReader<>())) {
            int blocks = 0;
            while (stream.hasNext()) {
                stream.nextBlock();
                blocks++;
            }
            return blocks;
        }
    }

    private static int rowGroups(java.nio.file.Path file) throws IOException {
        try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file))) {
            return reader.getRowGroups().size();
        }
    }

    private static int stripes(java.nio.file.Path file) throws IOException {
        return OrcFile.createReader(new org.apache.hadoop.fs.Path(file.toUri()),
                OrcFile.readerOptions(new Configuration(false))).getStripes().size();
    }
}
