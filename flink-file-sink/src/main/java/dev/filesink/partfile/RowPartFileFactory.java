package dev.filesink.partfile;

import org.apache.flink.api.common.serialization.Encoder;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.RecoverableWriter;

import java.io.IOException;
import java.io.OutputStream;

/** Part files of a row format, written with an {@link Encoder}. */
public final class RowPartFileFactory<IN> implements PartFileFactory<IN> {

    private static final long serialVersionUID = 1L;

    private final Encoder<IN> encoder;

    public RowPartFileFactory(Encoder<IN> encoder) {
        this.encoder = encoder;
    }

    public Encoder<IN> encoder() {
        return encoder;
    }

    @Override
    public InProgressPartFile<IN> open(RecoverableWriter writer, String bucketId, Path target, long now, int bufferSize)
            throws IOException {
        BufferedPartFileStream stream = new BufferedPartFileStream(writer.open(target), bufferSize);
        return new RowPartFile<>(bucketId, target, stream, recordWriter(stream, false), now, 0);
    }

    @Override
    public InProgressPartFile<IN> resume(
            RecoverableWriter writer,
            String bucketId,
            Path target,
            RecoverableWriter.ResumeRecoverable resumable,
            long creationTime,
            long recordCount,
            int bufferSize)
            throws IOException {
        BufferedPartFileStream stream = new BufferedPartFileStream(writer.recover(resumable), bufferSize);
        return new RowPartFile<>(bucketId, target, stream, recordWriter(stream, true), creationTime, recordCount);
    }

    @Override
    public boolean supportsResume() {
        return true;
    }

    private PartFileAwareEncoder.RecordWriter<IN> recordWriter(OutputStream out, boolean resumed) throws IOException {
        if (encoder instanceof PartFileAwareEncoder) {
            return ((PartFileAwareEncoder<IN>) encoder).openPartFile(out, resumed);
        }
        return element -> encoder.encode(element, out);
    }
}
