package dev.filesink.formats.row;

import dev.filesink.formats.Formats;
import dev.filesink.formats.compression.Compression;
import dev.filesink.formats.compression.ParallelCompression;
import dev.filesink.formats.csv.CsvColumn;
import dev.filesink.formats.records.BadRecordException;
import dev.filesink.formats.testing.Decompress;
import dev.filesink.formats.testing.Order;
import dev.filesink.formats.testing.Orders;
import dev.filesink.partfile.PartFileAwareEncoder;

import org.apache.avro.generic.GenericRecord;
import org.apache.flink.types.Row;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What each row format writes for a record, its suffix, and how it refuses what it cannot encode. */
class RowFormatsTest {

    @Test
    void suffixesCarryTheFormatAndTheCompression() {
        assertThat(Formats.jsonLines(Order.class).withCompression(Compression.GZIP).suffix()).isEqualTo(".jsonl.gz");
        assertThat(Formats.csv(Order.class).withCompression(Compression.ZSTD).suffix()).isEqualTo(".csv.zst");
        assertThat(Formats.text().withCompression(Compression.SNAPPY).suffix()).isEqualTo(".txt.sz");
        assertThat(Formats.rawBytes().withCompression(Compression.LZ4).suffix()).isEqualTo(".bin.lz4");
        assertThat(Formats.text().withCompression(Compression.BZIP2).suffix()).isEqualTo(".txt.bz2");
        assertThat(Formats.text().suffix()).isEqualTo(".txt");
    }

    @Test
    void compressionLevelsAreChecked() {
        assertThatThrownBy(() -> Formats.text().withCompression(Compression.ZSTD, 23))
                .hasMessageContaining("ZSTD").hasMessageContaining("[1, 22]");
        assertThatThrownBy(() -> Formats.text().withCompression(Compression.SNAPPY, 3))
                .hasMessageContaining("SNAPPY has no levels");
    }

    @Test
    void csvQuotesByRfc4180AndWritesTheHeaderOnlyAtTheTopOfANewFile() throws Exception {
        RowEncoder<Order> encoder = InstantiationUtil.clone(Formats.csv(Order.class).encoder());
        String fresh = write(encoder, false, Order.of(7), Order.of(8));
        assertThat(fresh).isEqualTo("id,name,amount,note\r\n"
                + "7,\"order, \"\"7\"\"\",10.5,\r\n"
                + "8,\"order, \"\"8\"\"\",12.0,\"note\n8\"\r\n");
        assertThat(write(encoder, true, Order.of(9))).as("a resumed file has its header already")
                .startsWith("9,");
    }

    @Test
    void csvColumnsFromExtractorsAndRows() throws Exception {
        RowEncoder<Order> extractors = Formats.csv(CsvColumn.<Order>of("key", o -> o.id),
                CsvColumn.<Order>of("twice", o -> o.amount * 2)).withDelimiter(';').withLineEnd("\n").encoder();
        assertThat(write(extractors, false, Order.of(2))).isEqualTo("key;twice\n2;6.0\n");

        RowEncoder<Row> rows = Formats.csvOfRows("a", "b").withHeader(false).encoder();
        Row named = Row.withNames();
        named.setField("b", "x");
        named.setField("a", 1);
        assertThat(write(rows, false, Row.of(1, null), named)).isEqualTo("1,\r\n1,x\r\n");
    }

    @Test
    void csvNamesTheColumnWhoseExtractorFails() {
        RowEncoder<Order> encoder = Formats.csv(CsvColumn.<Order>of("id", o -> o.id),
                CsvColumn.<Order>of("upper", o -> o.note.toUpperCase())).encoder();
        assertThatThrownBy(() -> write(encoder, false, Order.of(7)))
                .isInstanceOf(BadRecordException.class).hasMessageContaining("field 'upper'");
    }

    @Test
    void jsonLinesOfPojosMapsRowsAndAvroRecords() throws Exception {
        assertThat(write(Formats.jsonLines(Order.class).encoder(), false, Order.of(7)))
                .isEqualTo("{\"id\":7,\"name\":\"order, \\\"7\\\"\",\"amount\":10.5,\"note\":null}\n");

        Map<String, Object> map = new LinkedHashMap<>();
        map.put("k", List.of(1, 2));
        assertThat(write(Formats.jsonLinesOfMaps().encoder(), false, map)).isEqualTo("{\"k\":[1,2]}\n");

        Row named = Row.withNames();
        named.setField("id", 1L);
        named.setField("inner", Row.of("positional"));
        assertThatThrownBy(() -> write(Formats.jsonLinesOfRows().encoder(), false, named))
                .isInstanceOf(BadRecordException.class).hasMessageContaining("field 'inner'");
        assertThat(write(Formats.jsonLinesOfRows("id", "name").encoder(), false, Row.of(1L, "a")))
                .isEqualTo("{\"id\":1,\"name\":\"a\"}\n");

        GenericRecord avro = Orders.generic(8);
        assertThat(write(Formats.<GenericRecord>jsonLinesOfAvro().encoder(), false, avro))
                .isEqualTo("{\"id\":8,\"name\":\"order, \\\"8\\\"\",\"amount\":12.0,\"note\":\"note\\n8\"}\n");
        avro.put("amount", null);
        assertThatThrownBy(() -> write(Formats.<GenericRecord>jsonLinesOfAvro().encoder(), false, avro))
                .isInstanceOf(BadRecordException.class)
                .hasMessageContaining("field 'amount'").hasMessageContaining("not nullable");
    }

    @Test
    void skippedRecordsLeaveNothingOfThemInTheFile() throws Exception {
        RowEncoder<GenericRecord> encoder = Formats.<GenericRecord>jsonLinesOfAvro().skipBadRecords().encoder();
        GenericRecord bad = Orders.generic(9);
        bad.put("name", 42);
        String written = write(encoder, false, Orders.generic(1), bad, Orders.generic(2));
        assertThat(written.split("\n")).hasSize(2);
        assertThat(written).doesNotContain("42");
        assertThat(encoder.badRecords().skipped()).isEqualTo(1);
    }

    @Test
    void aJsonRecordFailingHalfWayLeavesNothingOfItInTheNextLines() throws Exception {
        RowEncoder<Map<String, Object>> encoder = Formats.jsonLinesOfMaps().skipBadRecords().encoder();
        Map<String, Object> bad = new LinkedHashMap<>();
        bad.put("id", 2);
        bad.put("broken", new Object() {
            @SuppressWarnings("unused")
            public String getValue() {
                throw new IllegalStateException("cannot read");
            }
        });
        String written = write(encoder, false, Map.of("id", 1), bad, Map.of("id", 3), Map.of("id", 4));
        assertThat(written).isEqualTo("{\"id\":1}\n{\"id\":3}\n{\"id\":4}\n");
        assertThat(encoder.badRecords().skipped()).isEqualTo(1);
    }

    @Test
    void compressedRowFilesAreTheSameInlineAndInParallel() throws Exception {
        Order[] orders = new Order[5_000];
        for (int i = 0; i < orders.length; i++) {
            orders[i] = Order.of(i);
        }
        for (Compression codec : Compression.values()) {
            String inline = decompress(codec, writeBytes(
                    Formats.jsonLines(Order.class).withCompression(codec).withInlineCompression().encoder(), orders));
            String parallel = decompress(codec, writeBytes(Formats.jsonLines(Order.class).withCompression(codec)
                    .withParallelCompression(ParallelCompression.defaults().withBlockSize(8192).withThreads(2))
                    .encoder(), orders));
            assertThat(parallel).as("%s", codec).isEqualTo(inline);
            assertThat(inline.split("\n")).hasSize(orders.length);
        }
    }

    private static String decompress(Compression codec, byte[] data) throws IOException {
        return new String(Decompress.bytes("part" + codec.extension(), data), StandardCharsets.UTF_8);
    }

    @SafeVarargs
    private static <T> byte[] writeBytes(RowEncoder<T> encoder, T... records) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PartFileAwareEncoder.RecordWriter<T> writer = encoder.openPartFile(out, false);
        for (int i = 0; i < records.length; i++) {
            writer.write(records[i]);
            if (i % 1_000 == 999) {
                writer.beforePersist();
            }
        }
        writer.finish();
        return out.toByteArray();
    }

    @Test
    void thePlainEncoderPathRefusesWhatNeedsPartFiles() {
        RowEncoder<Order> compressed = Formats.jsonLines(Order.class).withCompression(Compression.GZIP).encoder();
        assertThatThrownBy(() -> compressed.encode(Order.of(1), new ByteArrayOutputStream()))
                .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("GZIP");
    }

    @SafeVarargs
    private static <T> String write(RowEncoder<T> encoder, boolean resumed, T... records) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PartFileAwareEncoder.RecordWriter<T> writer = encoder.openPartFile(out, resumed);
        for (T record : records) {
            writer.write(record);
        }
        writer.finish();
        return out.toString(StandardCharsets.UTF_8);
    }
}
