package dev.filesink.formats.bytes;

import dev.filesink.formats.records.BadRecordException;
import dev.filesink.formats.row.RecordSerializer;
import dev.filesink.formats.row.RowFormat;

/**
 * Byte array records: written as they are, or length-delimited (a 4-byte big-endian length before each record, as
 * {@code DataInputStream.readInt()} reads it) so that a reader can split the file into records again.
 */
public final class BytesFormat extends RowFormat<byte[], BytesFormat> {

    private static final long serialVersionUID = 1L;

    private final boolean lengthDelimited;

    private BytesFormat(boolean lengthDelimited) {
        this.lengthDelimited = lengthDelimited;
    }

    /** Each record's bytes as they are, nothing between records. */
    public static BytesFormat raw() {
        return new BytesFormat(false);
    }

    /** Each record preceded by its length as a 4-byte big-endian int. */
    public static BytesFormat lengthDelimited() {
        return new BytesFormat(true);
    }

    public boolean isLengthDelimited() {
        return lengthDelimited;
    }

    @Override
    protected String extension() {
        return ".bin";
    }

    @Override
    protected RecordSerializer<byte[]> serializer() {
        boolean delimited = lengthDelimited;
        return (record, out) -> {
            if (record == null) {
                throw new BadRecordException("", "the record is null");
            }
            if (delimited) {
                out.writeInt(record.length);
            }
            out.write(record);
        };
    }
}
