package dev.filesink.formats.json;

import dev.filesink.formats.row.RecordSerializer;
import dev.filesink.formats.row.RowFormat;

import org.apache.avro.generic.GenericRecord;
import org.apache.flink.types.Row;

import java.util.List;
import java.util.Map;

/**
 * One JSON object per line ({@code .jsonl}): POJOs and {@code Map}s through Jackson, Flink {@link Row}s by their
 * field names, Avro {@link GenericRecord}s by their schema (plain JSON, not Avro's union-tagged JSON encoding).
 */
public final class JsonLinesFormat<T> extends RowFormat<T, JsonLinesFormat<T>> {

    private static final long serialVersionUID = 1L;

    private final Kind kind;
    private final List<String> rowFieldNames;
    private MapperCustomizer customizer;

    private JsonLinesFormat(Kind kind, List<String> rowFieldNames) {
        this.kind = kind;
        this.rowFieldNames = rowFieldNames;
    }

    /** POJOs (Jackson's bean rules: public fields and getters) or any type Jackson can write. */
    public static <T> JsonLinesFormat<T> forPojos(Class<T> type) {
        if (type == null) {
            throw new IllegalArgumentException("type must not be null");
        }
        return new JsonLinesFormat<>(Kind.JACKSON, null);
    }

    public static JsonLinesFormat<Map<String, Object>> forMaps() {
        return new JsonLinesFormat<>(Kind.JACKSON, null);
    }

    /**
     * Rows with field names ({@code Row.withNames()}), or positional rows named by {@code fieldNames} (which, if
     * given, also fix the order of the keys).
     */
    public static JsonLinesFormat<Row> forRows(String... fieldNames) {
        return new JsonLinesFormat<>(Kind.ROW, fieldNames.length == 0 ? null : List.of(fieldNames));
    }

    /** Avro generic (or specific) records, written as plain JSON by their schema. */
    public static <T extends GenericRecord> JsonLinesFormat<T> forAvro() {
        return new JsonLinesFormat<>(Kind.AVRO, null);
    }

    /** Configures the Jackson {@code ObjectMapper} (modules, naming, inclusion) once per writer subtask. */
    public JsonLinesFormat<T> withMapperCustomizer(MapperCustomizer customizer) {
        this.customizer = customizer;
        return this;
    }

    @Override
    protected String extension() {
        return ".jsonl";
    }

    @Override
    protected RecordSerializer<T> serializer() {
        return new JsonLineSerializer<>(kind, rowFieldNames, customizer);
    }

    enum Kind { JACKSON, ROW, AVRO }
}
