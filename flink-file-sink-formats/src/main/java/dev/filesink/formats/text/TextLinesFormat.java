package dev.filesink.formats.text;

import dev.filesink.formats.records.BadRecordException;
import dev.filesink.formats.row.RecordSerializer;
import dev.filesink.formats.row.RowFormat;

import org.apache.flink.util.function.SerializableFunction;

import java.nio.charset.StandardCharsets;

/** One line of text per record: {@code toString()} or a function of the record, UTF-8, {@code \n} after each. */
public final class TextLinesFormat<T> extends RowFormat<T, TextLinesFormat<T>> {

    private static final long serialVersionUID = 1L;

    private final SerializableFunction<T, String> toText;
    private String lineSeparator = "\n";
    private String extension = ".txt";

    public TextLinesFormat(SerializableFunction<T, String> toText) {
        if (toText == null) {
            throw new IllegalArgumentException("the record-to-text function must not be null");
        }
        this.toText = toText;
    }

    /** What ends each line (default {@code "\n"}). */
    public TextLinesFormat<T> withLineSeparator(String separator) {
        if (separator == null || separator.isEmpty()) {
            throw new IllegalArgumentException("lineSeparator must not be empty");
        }
        this.lineSeparator = separator;
        return this;
    }

    /** The file extension before any compression extension (default {@code ".txt"}). */
    public TextLinesFormat<T> withExtension(String extension) {
        this.extension = extension == null ? "" : extension;
        return this;
    }

    @Override
    protected String extension() {
        return extension;
    }

    @Override
    protected RecordSerializer<T> serializer() {
        SerializableFunction<T, String> function = toText;
        byte[] separator = lineSeparator.getBytes(StandardCharsets.UTF_8);
        return (record, out) -> {
            if (record == null) {
                throw new BadRecordException("", "the record is null");
            }
            String text;
            try {
                text = function.apply(record);
            } catch (RuntimeException e) {
                throw new BadRecordException("", "turning it into text failed: " + e, e);
            }
            if (text == null) {
                throw new BadRecordException("", "its text is null");
            }
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.write(separator);
        };
    }
}
