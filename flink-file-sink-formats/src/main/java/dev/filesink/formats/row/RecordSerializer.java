package dev.filesink.formats.row;

import dev.filesink.formats.records.BadRecordException;

import java.io.IOException;
import java.io.Serializable;

/** Turns one record into its bytes in a row format (a JSON line, a CSV row...). */
@FunctionalInterface
public interface RecordSerializer<T> extends Serializable {

    /**
     * Appends the record's bytes, including its line end if the format has one.
     *
     * @throws BadRecordException if the record cannot be encoded; nothing of it is written to the file then
     */
    void serialize(T record, RecordBuffer out) throws IOException;
}
