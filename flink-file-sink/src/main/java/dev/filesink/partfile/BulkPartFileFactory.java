package dev.filesink.partfile;

import org.apache.flink.api.common.serialization.BulkWriter;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.RecoverableWriter;

import java.io.IOException;

/** Part files of a bulk format, written with a {@link BulkWriter}. */
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
    public InProgressPartFile<IN> open(RecoverableWriter writer, String bucketId, Path target, long now, int bufferSize)
            throws IOException {
        BufferedPartFileStream stream = new BufferedPartFileStream(writer.open(target), bufferSize);
        try {
            return new BulkPartFile<>(bucketId, target, stream, writerFactory.create(stream), now);
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
