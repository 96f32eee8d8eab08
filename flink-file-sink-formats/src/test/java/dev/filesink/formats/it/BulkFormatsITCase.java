package dev.filesink.formats.it;

import dev.filesink.FileSink;
import dev.filesink.formats.Formats;
import dev.filesink.formats.avro.AvroCodec;
import dev.filesink.formats.orc.OrcCompression;
import dev.filesink.formats.parquet.ParquetCodec;
import dev.filesink.formats.testing.ExactlyOnce;
import dev.filesink.formats.testing.FormatJobs;
import dev.filesink.formats.testing.ModuloAssigner;
import dev.filesink.formats.testing.Order;
import dev.filesink.formats.testing.OrderVectorizer;
import dev.filesink.formats.testing.Orders;
import dev.filesink.formats.testing.Readers;
import dev.filesink.formats.testing.SpecificOrder;

import org.apache.avro.generic.GenericRecord;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.GenericTypeInfo;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.table.data.RowData;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalInputFile;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Parquet (Avro generic, specific, reflect; RowData), Avro container files and ORC (a user's vectorizer; RowData)
 * with their codecs, written by the sink in a STREAMING job with failures (bulk files roll on every checkpoint; the
 * failed attempts' files are discarded) and a BATCH job with a failure, read back with Parquet's, Avro's and ORC's
 * own readers and compared record by record.
 */
class BulkFormatsITCase {

    private static final long STREAMING_COUNT = 3_000;
    private static final long BATCH_COUNT = 6_000;

    enum Mode { STREAMING, BATCH }

    @TempDir java.nio.file.Path out;

    @ParameterizedTest
    @EnumSource(Mode.class)
    void bulkFormatsAreWrittenExactlyOnceAndReadByTheirOwnReaders(Mode mode) throws Exception {
        List<Case<?>> cases = new ArrayList<>();
        for (ParquetCodec codec : ParquetCodec.values()) {
            cases.add(parquetGeneric(codec));
        }
        cases.add(new Case<>("parquet-specific", Formats.parquetOfSpecific(SpecificOrder.class)
                        .withCompression(ParquetCodec.ZSTD, 5).withRowGroupSize(64 * 1024)::sink,
                Orders::specific, o -> (Long) o.get(0), new GenericTypeInfo<>(SpecificOrder.class),
                BulkFormatsITCase::readParquet, parquetCodec(CompressionCodecName.ZSTD)));
        cases.add(new Case<>("parquet-reflect", Formats.parquetOfReflect(Order.class)
                        .withCompression(ParquetCodec.GZIP).withDictionary(false).withPageSize(8 * 1024)::sink,
                Order::of, o -> o.id, TypeInformation.of(Order.class),
                BulkFormatsITCase::readParquet, parquetCodec(CompressionCodecName.GZIP)));
        cases.add(new Case<>("parquet-rowdata", Formats.parquet(Orders.ROW_TYPE)
                        .withCompression(ParquetCodec.LZ4)::sink,
                Orders::rowData, row -> row.getLong(0), TypeInformation.of(RowData.class),
                BulkFormatsITCase::readParquet, parquetCodec(CompressionCodecName.LZ4_RAW)));

        List<AvroCodec> avroCodecs = List.of(AvroCodec.none(), AvroCodec.deflate(6), AvroCodec.snappy(),
                AvroCodec.zstd(3), AvroCodec.xz(6), AvroCodec.bzip2());
        List<String> avroCodecNames = List.of("null", "deflate", "snappy", "zstandard", "xz", "bzip2");
        for (int i = 0; i < avroCodecs.size(); i++) {
            String expected = avroCodecNames.get(i);
            cases.add(new Case<>("avro-generic-" + expected, Formats.avro(Orders.SCHEMA).withCodec(avroCodecs.get(i))
                            .withMetadata("written-by", "test")::sink,
                    Orders::generic, r -> (Long) r.get("id"), TypeInformation.of(GenericRecord.class),
                    BulkFormatsITCase::readAvro, file -> assertThat(Readers.avroCodec(file)).isEqualTo(expected)));
        }
        cases.add(new Case<>("avro-specific", Formats.avroOfSpecific(SpecificOrder.class)
                        .withCodec(AvroCodec.zstd(9)).withSyncInterval(4096)::sink,
                Orders::specific, o -> (Long) o.get(0), new GenericTypeInfo<>(SpecificOrder.class),
                BulkFormatsITCase::readAvro, file -> assertThat(Readers.avroCodec(file)).isEqualTo("zstandard")));
        cases.add(new Case<>("avro-reflect", Formats.avroOfReflect(Order.class).withCodec(AvroCodec.deflate(1))::sink,
                Order::of, o -> o.id, TypeInformation.of(Order.class),
                BulkFormatsITCase::readAvro, file -> assertThat(Readers.avroCodec(file)).isEqualTo("deflate")));

        for (OrcCompression codec : OrcCompression.values()) {
            cases.add(new Case<>("orc-" + codec, Formats.orc(new OrderVectorizer()).withCompression(codec)
                            .withStripeSize(256 * 1024)::sink,
                    Order::of, o -> o.id, TypeInformation.of(Order.class), Readers::orc,
                    file -> assertThat(Readers.orcCompression(file)).isEqualTo(codec.name())));
        }
        cases.add(new Case<>("orc-rowdata", Formats.orc(Orders.ROW_TYPE).withCompression(OrcCompression.SNAPPY)::sink,
                Orders::rowData, row -> row.getLong(0), TypeInformation.of(RowData.class), Readers::orc,
                file -> assertThat(Readers.orcCompression(file)).isEqualTo("SNAPPY")));

        List<Case<?>> chosen = mode == Mode.BATCH ? cases : streamingSubset(cases);
        long count = mode == Mode.STREAMING ? STREAMING_COUNT : BATCH_COUNT;
        Consumer<DataStream<Long>> sinks = ids -> chosen.forEach(c -> c.addSink(ids, out));
        if (mode == Mode.STREAMING) {
            FormatJobs.streamingWithFailures(count, sinks);
        } else {
            FormatJobs.batchWithFailure(count, sinks);
        }

        for (Case<?> c : chosen) {
            List<Order> orders = new ArrayList<>();
            for (java.nio.file.Path file : ExactlyOnce.finishedFiles(out.resolve(c.name), c.suffix())) {
                orders.addAll(c.reader.apply(file));
                c.fileCheck.accept(file);
            }
            ExactlyOnce.assertOrders(orders, count, c.name + " " + mode);
        }
    }

    /** Streaming jobs with failures are costly: every record model and format once, not every codec. */
    private static List<Case<?>> streamingSubset(List<Case<?>> all) {
        List<String> names = List.of("parquet-SNAPPY", "parquet-specific", "parquet-reflect", "parquet-rowdata",
                "avro-generic-deflate", "avro-specific", "avro-reflect", "orc-ZLIB", "orc-rowdata");
        return all.stream().filter(c -> names.contains(c.name)).toList();
    }

    private static Case<GenericRecord> parquetGeneric(ParquetCodec codec) {
        return new Case<>("parquet-" + codec, Formats.parquet(Orders.SCHEMA).withCompression(codec)::sink,
                Orders::generic, r -> (Long) r.get("id"), TypeInformation.of(GenericRecord.class),
                BulkFormatsITCase::readParquet, parquetCodec(codec.parquetName()));
    }

    private static List<Order> readParquet(java.nio.file.Path file) {
        return Readers.parquet(file).stream().map(Orders::fromAvro).toList();
    }

    private static List<Order> readAvro(java.nio.file.Path file) {
        return Readers.avro(file).stream().map(Orders::fromAvro).toList();
    }

    private static Consumer<java.nio.file.Path> parquetCodec(CompressionCodecName expected) {
        return file -> {
            try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file))) {
                assertThat(reader.getFooter().getBlocks()).isNotEmpty();
                assertThat(reader.getFooter().getBlocks().get(0).getColumns().get(0).getCodec())
                        .as("codec of %s", file).isEqualTo(expected);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    /** One sink of the job: its format's sink builder for a folder, its records, and how to read its files. */
    private record Case<T>(
            String name,
            Function<Path, FileSink.BucketsBuilder<T, ?>> sink,
            SerializableFunction<Long, T> record,
            SerializableFunction<T, Long> idOf,
            TypeInformation<T> type,
            Function<java.nio.file.Path, List<Order>> reader,
            Consumer<java.nio.file.Path> fileCheck) {

        /** The format's default suffix, which every part file must end with: ".parquet" for "parquet-...". */
        String suffix() {
            return "." + name.substring(0, name.indexOf('-'));
        }

        void addSink(DataStream<Long> ids, java.nio.file.Path out) {
            ids.map(record::apply).returns(type)
                    .sinkTo(sink.apply(new Path(out.resolve(name).toUri()))
                            .withBucketAssigner(new ModuloAssigner<>(idOf, 3))
                            .build())
                    .name(name);
        }
    }
}
