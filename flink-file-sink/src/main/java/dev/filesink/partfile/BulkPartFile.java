package dev.filesink.partfile;

import org.apache.flink.api.common.serialization.BulkWriter;
import org.apache.flink.core.fs.RecoverableWriter;

import java.io.IOException;

/** A part file of a bulk format (Parquet, ORC, Avro...): it cannot be resumed, so it rolls on every checkpoint. */
final class BulkPartFile<IN> extends InProgressPartFile<IN> {

    private final BulkWriter<IN> writer;

    BulkPartFile(PartFileContext context, BufferedPartFileStream stream, BulkWriter<IN> writer, long creationTime) {
        super(context, stream, writer, creationTime, 0);
        this.writer = writer;
    }

    @Override
    protected void encode(IN element) throws IOException {
        writer.addElement(element);
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
