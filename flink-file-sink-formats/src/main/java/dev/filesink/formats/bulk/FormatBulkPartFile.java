package dev.filesink.formats.bulk;

import dev.filesink.partfile.BufferedPartFileStream;
import dev.filesink.partfile.InProgressPartFile;

import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.RecoverableWriter;

import java.io.IOException;

/** A bulk part file whose writer the {@link SchemaChangeRollingPolicy} can ask about incoming records. */
public final class FormatBulkPartFile<IN> extends InProgressPartFile<IN> {

    private final FormatBulkWriter<IN> writer;

    FormatBulkPartFile(String bucketId, Path target, BufferedPartFileStream stream, FormatBulkWriter<IN> writer, long now) {
        super(bucketId, target, stream, now, 0);
        this.writer = writer;
    }

    /** Whether the record fits this file (same or compatible schema). */
    public boolean accepts(IN element) {
        return writer.accepts(element);
    }

    @Override
    protected void encode(IN element) throws IOException {
        writer.addElement(element);
    }

    @Override
    protected long formatBufferedBytes() {
        return writer.bufferedBytes();
    }

    @Override
    public RecoverableWriter.ResumeRecoverable persist() {
        throw new UnsupportedOperationException(
                "Bulk-format part files cannot be persisted; they are rolled on every checkpoint: " + target());
    }

    @Override
    protected void finishFormat() throws IOException {
        writer.flush();
        writer.finish();
    }
}
