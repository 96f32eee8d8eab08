package dev.filesink.formats;

import dev.filesink.formats.avro.AvroFormat;
import dev.filesink.formats.bulk.JobClassPath;
import dev.filesink.formats.bytes.BytesFormat;
import dev.filesink.formats.csv.CsvColumn;
import dev.filesink.formats.csv.CsvFormat;
import dev.filesink.formats.json.JsonLinesFormat;
import dev.filesink.formats.orc.OrcFormat;
import dev.filesink.formats.parquet.ParquetFormat;
import dev.filesink.formats.text.TextLinesFormat;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.orc.vector.Vectorizer;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.types.Row;
import org.apache.flink.util.function.SerializableFunction;

import java.util.Map;

/**
 * One entry point per format. Each returns a format with {@code with...} options, and then either a ready sink
 * builder ({@code .sink(basePath)}) or the pieces for the core builders ({@code .encoder()} or
 * {@code .writerFactory()}, and {@code .suffix()}):
 *
 * <pre>{@code
 * stream.sinkTo(Formats.parquet(schema).withCompression(ParquetCodec.ZSTD).sink(path).build());
 * stream.sinkTo(Formats.jsonLines(Order.class).withCompression(Compression.GZIP).sink(path).build());
 * }</pre>
 */
public final class Formats {

    private Formats() {}

    // ---- row formats --------------------------------------------------------------------------------------------

    /** Text lines from {@code toString()}. */
    public static <T> TextLinesFormat<T> text() {
        return new TextLinesFormat<>(String::valueOf);
    }

    /** Text lines from a function of the record. */
    public static <T> TextLinesFormat<T> text(SerializableFunction<T, String> toText) {
        return new TextLinesFormat<>(toText);
    }

    /** JSON lines of POJOs (or anything Jackson writes). */
    public static <T> JsonLinesFormat<T> jsonLines(Class<T> type) {
        return JsonLinesFormat.forPojos(type);
    }

    public static JsonLinesFormat<Map<String, Object>> jsonLinesOfMaps() {
        return JsonLinesFormat.forMaps();
    }

    /** JSON lines of named rows, or of positional rows with these field names. */
    public static JsonLinesFormat<Row> jsonLinesOfRows(String... fieldNames) {
        return JsonLinesFormat.forRows(fieldNames);
    }

    public static <T extends GenericRecord> JsonLinesFormat<T> jsonLinesOfAvro() {
        return JsonLinesFormat.forAvro();
    }

    /** CSV with the POJO's fields as columns (or only the named ones). */
    public static <T> CsvFormat<T> csv(Class<T> type, String... columns) {
        return CsvFormat.forPojos(type, columns);
    }

    public static CsvFormat<Row> csvOfRows(String... fieldNames) {
        return CsvFormat.forRows(fieldNames);
    }

    @SafeVarargs
    public static <T> CsvFormat<T> csv(CsvColumn<T>... columns) {
        return CsvFormat.withColumns(columns);
    }

    public static BytesFormat rawBytes() {
        return BytesFormat.raw();
    }

    public static BytesFormat lengthDelimitedBytes() {
        return BytesFormat.lengthDelimited();
    }

    // ---- bulk formats -------------------------------------------------------------------------------------------

    public static ParquetFormat<GenericRecord> parquet(Schema schema) {
        requireParquetClassPath();
        return ParquetFormat.forGenericRecords(schema);
    }

    public static <T extends SpecificRecord> ParquetFormat<T> parquetOfSpecific(Class<T> type) {
        requireParquetClassPath();
        return ParquetFormat.forSpecificRecords(type);
    }

    public static <T> ParquetFormat<T> parquetOfReflect(Class<T> type) {
        requireParquetClassPath();
        return ParquetFormat.forReflectRecords(type);
    }

    public static ParquetFormat<RowData> parquet(RowType rowType) {
        requireParquetClassPath();
        return ParquetFormat.forRowData(rowType);
    }

    public static AvroFormat<GenericRecord> avro(Schema schema) {
        return AvroFormat.forGenericRecords(schema);
    }

    public static <T extends SpecificRecord> AvroFormat<T> avroOfSpecific(Class<T> type) {
        return AvroFormat.forSpecificRecords(type);
    }

    public static <T> AvroFormat<T> avroOfReflect(Class<T> type) {
        return AvroFormat.forReflectRecords(type);
    }

    public static <T> OrcFormat<T> orc(Vectorizer<T> vectorizer) {
        requireOrcClassPath();
        return OrcFormat.forVectorizer(vectorizer);
    }

    public static OrcFormat<RowData> orc(RowType rowType) {
        requireOrcClassPath();
        return OrcFormat.forRowData(rowType);
    }

    /**
     * Parquet and ORC need Flink's table types and Hadoop's client on the job's class path (provided by a cluster):
     * checked before their classes load, so a missing one is named here rather than in job-graph serialization.
     */
    private static void requireParquetClassPath() {
        JobClassPath.require("Parquet", JobClassPath.FLINK_TABLE_TYPES, JobClassPath.HADOOP_CLIENT);
    }

    private static void requireOrcClassPath() {
        JobClassPath.require("ORC", JobClassPath.FLINK_TABLE_TYPES, JobClassPath.HADOOP_CLIENT);
    }
}
