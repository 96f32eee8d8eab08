package dev.filesink.bucketassigners.partitioning;

import java.time.temporal.TemporalAccessor;
import java.util.Date;
import java.util.UUID;

/** Turns an extracted field value into the text of a partition directory, before escaping. */
final class PartitionValues {

    private PartitionValues() {}

    /** The value's text, or {@code null} for no value (null or empty: the default partition, as in Hive). */
    static String text(String partitionKey, Object value) {
        if (value == null) {
            return null;
        }
        String text;
        if (value instanceof CharSequence || value instanceof Number || value instanceof Boolean
                || value instanceof Character || value instanceof UUID || value instanceof TemporalAccessor) {
            text = value.toString();
        } else if (value instanceof Enum<?>) {
            text = ((Enum<?>) value).name();
        } else if (value instanceof byte[] || value instanceof java.nio.ByteBuffer) {
            throw new InvalidPartitionValueException(partitionKey, "binary values cannot be partition values; "
                    + "extract a string from them (e.g. hex or base64) with a FieldExtractor");
        } else if (value instanceof Date) {
            throw new InvalidPartitionValueException(partitionKey, "a " + value.getClass().getName()
                    + " has no single text form; partition by it with timeField(key, pattern, ...)");
        } else {
            // Avro's Utf8 and GenericEnumSymbol, and any other type with a meaningful toString().
            text = value.toString();
        }
        return text.isEmpty() ? null : text;
    }
}
