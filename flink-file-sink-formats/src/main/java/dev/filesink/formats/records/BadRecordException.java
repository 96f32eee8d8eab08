package dev.filesink.formats.records;

/**
 * A record the format cannot encode: a null where the schema forbids it, a value of the wrong type. Thrown before
 * any of the record's bytes reach the part file, so the record can be skipped without leaving half of it behind.
 */
public final class BadRecordException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String field;
    private final String reason;

    public BadRecordException(String field, String reason) {
        this(field, reason, null);
    }

    public BadRecordException(String field, String reason, Throwable cause) {
        super(describe(field, reason), cause);
        this.field = field;
        this.reason = reason;
    }

    /** The path of the offending field ({@code "address.zip"}, {@code "items[3]"}), or empty for the whole record. */
    public String field() {
        return field;
    }

    public String reason() {
        return reason;
    }

    private static String describe(String field, String reason) {
        return field == null || field.isEmpty()
                ? "Cannot encode record: " + reason
                : "Cannot encode field '" + field + "' of record: " + reason;
    }
}
