package dev.filesink.formats.csv;

import dev.filesink.formats.records.BadRecordException;
import dev.filesink.formats.row.RecordSerializer;
import dev.filesink.formats.row.RowFormat;

import org.apache.flink.types.Row;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * CSV by RFC 4180: a header line at the top of every part file (also after a roll or a restore), fields that hold
 * the delimiter, a quote or a line break are quoted, quotes doubled, lines end with CRLF. Nulls are empty fields;
 * byte arrays are written as base64.
 */
public final class CsvFormat<T> extends RowFormat<T, CsvFormat<T>> {

    private static final long serialVersionUID = 1L;

    private final List<CsvColumn<T>> columns;
    private char delimiter = ',';
    private String lineEnd = "\r\n";
    private boolean header = true;
    private String nullValue = "";

    private CsvFormat(List<CsvColumn<T>> columns) {
        if (columns == null || columns.isEmpty()) {
            throw new IllegalArgumentException("a CSV format needs at least one column");
        }
        this.columns = List.copyOf(columns);
    }

    /** Columns from the POJO's fields (declaration order), or only the named ones in the given order. */
    public static <T> CsvFormat<T> forPojos(Class<T> type, String... columns) {
        return new CsvFormat<>(PojoColumns.of(type, Arrays.asList(columns)));
    }

    /** Columns from named rows' fields, by name (or by position for positional rows). */
    public static CsvFormat<Row> forRows(String... fieldNames) {
        if (fieldNames.length == 0) {
            throw new IllegalArgumentException("forRows needs the field names (they are the CSV header)");
        }
        List<CsvColumn<Row>> columns = new ArrayList<>();
        for (int i = 0; i < fieldNames.length; i++) {
            int position = i;
            String name = fieldNames[i];
            columns.add(CsvColumn.of(name, row -> {
                Set<String> names = row.getFieldNames(false);
                return names != null ? row.getField(name) : row.getField(position);
            }));
        }
        return new CsvFormat<>(columns);
    }

    /** Columns from extractors: {@code CsvFormat.withColumns(CsvColumn.of("id", Order::id), ...)}. */
    @SafeVarargs
    public static <T> CsvFormat<T> withColumns(CsvColumn<T>... columns) {
        return new CsvFormat<>(Arrays.asList(columns));
    }

    public static <T> CsvFormat<T> withColumns(List<CsvColumn<T>> columns) {
        return new CsvFormat<>(columns);
    }

    public CsvFormat<T> withDelimiter(char delimiter) {
        if (delimiter == '"' || delimiter == '\r' || delimiter == '\n') {
            throw new IllegalArgumentException("CSV delimiter must not be a quote or a line break, got '" + delimiter + "'");
        }
        this.delimiter = delimiter;
        return this;
    }

    /** Line end; RFC 4180 says CRLF (the default), many tools also take {@code "\n"}. */
    public CsvFormat<T> withLineEnd(String lineEnd) {
        if (!"\r\n".equals(lineEnd) && !"\n".equals(lineEnd)) {
            throw new IllegalArgumentException("CSV line end must be \\r\\n or \\n");
        }
        this.lineEnd = lineEnd;
        return this;
    }

    /** Whether every part file starts with a header line (default true). */
    public CsvFormat<T> withHeader(boolean header) {
        this.header = header;
        return this;
    }

    /** How null values are written (default: an empty field). */
    public CsvFormat<T> withNullValue(String nullValue) {
        this.nullValue = nullValue == null ? "" : nullValue;
        return this;
    }

    public List<String> columnNames() {
        return columns.stream().map(CsvColumn::name).toList();
    }

    @Override
    protected String extension() {
        return ".csv";
    }

    @Override
    protected byte[] preamble() {
        if (!header) {
            return null;
        }
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < columns.size(); i++) {
            if (i > 0) {
                line.append(delimiter);
            }
            Rfc4180.append(line, columns.get(i).name(), delimiter);
        }
        return line.append(lineEnd).toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    protected RecordSerializer<T> serializer() {
        List<CsvColumn<T>> cols = columns;
        char sep = delimiter;
        String end = lineEnd;
        String nulls = nullValue;
        return (record, out) -> {
            if (record == null) {
                throw new BadRecordException("", "the record is null");
            }
            StringBuilder line = new StringBuilder(128);
            for (int i = 0; i < cols.size(); i++) {
                CsvColumn<T> column = cols.get(i);
                Object value;
                try {
                    value = column.extractor().apply(record);
                } catch (RuntimeException e) {
                    throw new BadRecordException(column.name(), "cannot be read from a " + record.getClass().getName()
                            + ": " + e, e);
                }
                if (i > 0) {
                    line.append(sep);
                }
                Rfc4180.append(line, text(value, nulls), sep);
            }
            line.append(end);
            out.write(line.toString().getBytes(StandardCharsets.UTF_8));
        };
    }

    private static String text(Object value, String nullValue) {
        if (value == null) {
            return nullValue;
        }
        if (value instanceof byte[] bytes) {
            return Base64.getEncoder().encodeToString(bytes);
        }
        return value.toString();
    }
}
