package dev.filesink.formats.bulk;

import dev.filesink.formats.records.BadRecordAware;
import dev.filesink.formats.records.PartFileContext;

import org.apache.flink.api.common.serialization.BulkWriter;
import org.apache.flink.core.fs.FSDataOutputStream;

import java.io.IOException;

/**
 * The {@link BulkWriter.Factory} of our bulk formats. Through {@code FileSink.forBulkFormat} it works like any
 * factory; through the format's own sink builder it also learns the bucket and part file (for messages about bad
 * records) and its writers can ask for a new part file when the schema changes.
 */
public interface FormatWriterFactory<T> extends BulkWriter.Factory<T>, BadRecordAware {

    FormatBulkWriter<T> create(FSDataOutputStream out, PartFileContext where) throws IOException;

    @Override
    default BulkWriter<T> create(FSDataOutputStream out) throws IOException {
        return create(out, PartFileContext.UNKNOWN);
    }
}
