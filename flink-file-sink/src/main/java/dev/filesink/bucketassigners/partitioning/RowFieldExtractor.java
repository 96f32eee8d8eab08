package dev.filesink.bucketassigners.partitioning;

import org.apache.flink.types.Row;

/** Reads a field of a Flink {@link Row}, by name or by position. */
final class RowFieldExtractor implements FieldExtractor<Row> {

    private static final long serialVersionUID = 1L;

    private final String name;
    private final int position;

    private RowFieldExtractor(String name, int position) {
        this.name = name;
        this.position = position;
    }

    static RowFieldExtractor byName(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("Row field name must not be null or empty");
        }
        return new RowFieldExtractor(name, -1);
    }

    static RowFieldExtractor byPosition(int position) {
        if (position < 0) {
            throw new IllegalArgumentException("Row field position must not be negative, was " + position);
        }
        return new RowFieldExtractor(null, position);
    }

    @Override
    public Object extract(Row row) {
        if (name == null) {
            if (position >= row.getArity()) {
                throw new IllegalArgumentException("Row field at position " + position + " does not exist: the row has "
                        + row.getArity() + " fields");
            }
            return row.getField(position);
        }
        try {
            return row.getField(name);
        } catch (IllegalArgumentException e) {
            // Row says "Accessing fields by name is not supported in position-based field mode" or "Unknown field".
            throw new IllegalArgumentException("Row field '" + name + "' cannot be read: " + e.getMessage()
                    + " (field names are available on rows with named fields; else partition by position)", e);
        }
    }

    @Override
    public String toString() {
        return name != null ? "row['" + name + "']" : "row[" + position + "]";
    }
}
