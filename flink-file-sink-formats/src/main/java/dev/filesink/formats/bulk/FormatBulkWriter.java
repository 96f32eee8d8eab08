package dev.filesink.formats.bulk;

import dev.filesink.partfile.MemoryReporting;

import org.apache.flink.api.common.serialization.BulkWriter;

/** A bulk writer of our formats: reports its buffered memory and says which records fit its part file. */
public interface FormatBulkWriter<T> extends BulkWriter<T>, MemoryReporting {

    /**
     * Whether the record can be written to this part file. False when its schema differs from the file's (and is
     * not a compatible one the file can take): the sink then rolls to a new part file for the record.
     */
    default boolean accepts(T element) {
        return true;
    }
}
