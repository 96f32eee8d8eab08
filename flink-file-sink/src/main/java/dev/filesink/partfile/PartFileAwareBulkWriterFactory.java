package dev.filesink.partfile;

import org.apache.flink.api.common.serialization.BulkWriter;
import org.apache.flink.core.fs.FSDataOutputStream;

import java.io.IOException;

/**
 * A {@link BulkWriter.Factory} that wants to know the part file it writes (the bulk counterpart of
 * {@link PartFileAwareEncoder}): the sink calls {@link #create(FSDataOutputStream, PartFileContext)} for every new
 * part file. Used by another sink, the factory gets {@link PartFileContext#UNKNOWN}.
 */
public interface PartFileAwareBulkWriterFactory<IN> extends BulkWriter.Factory<IN> {

    BulkWriter<IN> create(FSDataOutputStream out, PartFileContext context) throws IOException;

    @Override
    default BulkWriter<IN> create(FSDataOutputStream out) throws IOException {
        return create(out, PartFileContext.UNKNOWN);
    }
}
