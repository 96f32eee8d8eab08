package dev.filesink.formats.csv;

import org.apache.flink.util.function.SerializableFunction;

import java.io.Serializable;

/** One CSV column: its header name and how to get its value from a record. */
public record CsvColumn<T>(String name, SerializableFunction<T, ?> extractor) implements Serializable {

    public CsvColumn {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a CSV column needs a name");
        }
        if (extractor == null) {
            throw new IllegalArgumentException("CSV column '" + name + "' needs an extractor");
        }
    }

    public static <T> CsvColumn<T> of(String name, SerializableFunction<T, ?> extractor) {
        return new CsvColumn<>(name, extractor);
    }
}
