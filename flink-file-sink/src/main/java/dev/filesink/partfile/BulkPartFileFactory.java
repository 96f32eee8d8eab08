package dev.filesink.partfile;

import org.apache.flink.api.common.serialization.BulkWriter;
import org.apache.flink.core.fs.RecoverableWriter;

import java.io.IOException;

/**
 * Part files of a bulk format, written with a {@link BulkWriter}; a {@link PartFileAwareBulkWriterFactory} is told
 * each file's context.
 */
public final class BulkPartFileFactory<IN> implements PartFileFactory<IN> {

    private static final long serialVersionUID = 1L;

    private final BulkWriter.Factory<IN> writerFactory;

    public BulkPartFileFactory(BulkWriter.Factory<IN> writerFactory) {
        this.writerFactory = writerFactory;
    }

    public BulkWriter.Factory<IN> writerFactory() {
        return writerFactory;
    }

    @Override
    public InProgressPartFile<IN> open(RecoverableWriter writer, PartFileContext context, long now, int bufferSize)
            throws IOException {
        BufferedPartFileStream stream = new BufferedPartFileStream(writer.open(context.partFile()), bufferSize);
        try {
            return new BulkPartFile<>(context, stream, bulkWriter(stream, context), now);
        } catch (IOException | RuntimeException e) {
            stream.discardAfter(e);
            throw e;
        }
    }

    @Override
    public InProgressPartFile<IN> resume(
            RecoverableWriter writer,
            PartFileContext context,
            RecoverableWriter.ResumeRecoverable resumable,
            long creationTime,
            long recordCount,
            int bufferSize) {
        throw new UnsupportedOperationException("Bulk-format part files cannot be resumed: " + context.partFile());
    }

    @Override
    public boolean supportsResume() {
        return false;
    }

    private BulkWriter<IN> bulkWriter(BufferedPartFileStream stream, PartFileContext context) throws IOException {
        if (writerFactory instanceof PartFileAwareBulkWriterFactory<IN> aware) {
            return aware.create(stream, context);
        }
        return writerFactory.create(stream);
    }
}
