package dev.filesink.formats.bulk;

import dev.filesink.partfile.PartFileAwareBulkWriterFactory;
import dev.filesink.partfile.PartFileContext;

import org.apache.flink.core.fs.FSDataOutputStream;

import java.io.IOException;

/**
 * The {@link org.apache.flink.api.common.serialization.BulkWriter.Factory} of our bulk formats. The core sink tells
 * it each part file's context (for messages about bad records and the {@code recordsSkipped} metric); other sinks
 * (Flink's own FileSink) use it as a plain factory.
 */
public interface FormatWriterFactory<T> extends PartFileAwareBulkWriterFactory<T> {

    @Override
    FormatBulkWriter<T> create(FSDataOutputStream out, PartFileContext context) throws IOException;
}
