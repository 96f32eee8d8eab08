package dev.filesink.partfile;

import org.apache.flink.api.common.serialization.Encoder;
import org.apache.flink.core.fs.RecoverableWriter;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Part files of a row format, written with an {@link Encoder}; a {@link PartFileAwareEncoder} is told each file's
 * context.
 */
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
    public InProgressPartFile<IN> open(RecoverableWriter writer, PartFileContext context, long now, int bufferSize)
            throws IOException {
        BufferedPartFileStream stream = new BufferedPartFileStream(writer.open(context.partFile()), bufferSize);
        return rowPartFile(stream, context, false, now, 0);
    }

    @Override
    public InProgressPartFile<IN> resume(
            RecoverableWriter writer,
            PartFileContext context,
            RecoverableWriter.ResumeRecoverable resumable,
            long creationTime,
            long recordCount,
            int bufferSize)
            throws IOException {
        BufferedPartFileStream stream = new BufferedPartFileStream(writer.recover(resumable), bufferSize);
        return rowPartFile(stream, context, true, creationTime, recordCount);
    }

    @Override
    public boolean supportsResume() {
        return true;
    }

    /** Opens the format's side of the file; a format that fails here must not leave the storage stream open. */
    private InProgressPartFile<IN> rowPartFile(
            BufferedPartFileStream stream, PartFileContext context, boolean resumed, long creationTime, long recordCount)
            throws IOException {
        try {
            return new RowPartFile<>(context, stream, recordWriter(stream, resumed, context), creationTime, recordCount);
        } catch (IOException | RuntimeException e) {
            stream.discardAfter(e);
            throw e;
        }
    }

    private PartFileAwareEncoder.RecordWriter<IN> recordWriter(OutputStream out, boolean resumed, PartFileContext context)
            throws IOException {
        if (encoder instanceof PartFileAwareEncoder) {
            return ((PartFileAwareEncoder<IN>) encoder).openPartFile(out, resumed, context);
        }
        return element -> encoder.encode(element, out);
    }
}
