package dev.filesink.formats.bulk;

import dev.filesink.formats.records.PartFileContext;
import dev.filesink.partfile.BufferedPartFileStream;
import dev.filesink.partfile.InProgressPartFile;
import dev.filesink.partfile.PartFileFactory;

import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.RecoverableWriter;

import java.io.IOException;

/** Opens bulk part files whose writers know their bucket and file and can ask for a roll on a schema change. */
public final class FormatBulkPartFileFactory<IN> implements PartFileFactory<IN> {

    private static final long serialVersionUID = 1L;

    private final FormatWriterFactory<IN> writerFactory;

    public FormatBulkPartFileFactory(FormatWriterFactory<IN> writerFactory) {
        this.writerFactory = writerFactory;
    }

    public FormatWriterFactory<IN> writerFactory() {
        return writerFactory;
    }

    @Override
    public InProgressPartFile<IN> open(RecoverableWriter writer, String bucketId, Path target, long now, int bufferSize)
            throws IOException {
        BufferedPartFileStream stream = new BufferedPartFileStream(writer.open(target), bufferSize);
        try {
            FormatBulkWriter<IN> bulkWriter = writerFactory.create(stream, new PartFileContext(bucketId, target));
            return new FormatBulkPartFile<>(bucketId, target, stream, bulkWriter, now);
        } catch (IOException | RuntimeException e) {
            stream.discard();
            throw e;
        }
    }

    @Override
    public InProgressPartFile<IN> resume(
            RecoverableWriter writer,
            String bucketId,
            Path target,
            RecoverableWriter.ResumeRecoverable resumable,
            long creationTime,
            long recordCount,
            int bufferSize) {
        throw new UnsupportedOperationException("Bulk-format part files cannot be resumed: " + target);
    }

    @Override
    public boolean supportsResume() {
        return false;
    }
}
