package dev.filesink.bucketassigners.partitioning;

import org.apache.flink.types.Row;

import java.util.Map;

/** Ready-made {@link FieldExtractor}s for the record types Flink jobs commonly write. */
public final class FieldExtractors {

    private FieldExtractors() {}

    /**
     * A property of a POJO or Java record of exactly this class or a subclass: a public getter ({@code getX()},
     * {@code isX()}), a record accessor ({@code x()}) or a field. Fails now if the class has none of them.
     */
    public static <T> FieldExtractor<T> pojo(Class<T> type, String property) {
        return new PojoFieldExtractor<>(type, property);
    }

    /** A field of a {@link Row} by name; the row must have named fields. */
    public static FieldExtractor<Row> row(String name) {
        return RowFieldExtractor.byName(name);
    }

    /** A field of a {@link Row} by position, counted from 0. */
    public static FieldExtractor<Row> row(int position) {
        return RowFieldExtractor.byPosition(position);
    }

    /** The value of a {@link Map} at the key; a missing key is a {@code null} value. */
    public static <M extends Map<String, ?>> FieldExtractor<M> mapKey(String key) {
        if (key == null) {
            throw new IllegalArgumentException("Map key must not be null");
        }
        return new MapFieldExtractor<>(key);
    }

    /** Reads a map entry; a class of its own so that it prints the key in error messages and toString(). */
    private static final class MapFieldExtractor<M extends Map<String, ?>> implements FieldExtractor<M> {
        private static final long serialVersionUID = 1L;

        private final String key;

        MapFieldExtractor(String key) {
            this.key = key;
        }

        @Override
        public Object extract(M record) {
            return record.get(key);
        }

        @Override
        public String toString() {
            return "map['" + key + "']";
        }
    }
}
