package dev.filesink.partfile;

import org.apache.flink.api.common.serialization.BulkWriter;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.RecoverableWriter;

import java.io.IOException;

/** A part file of a bulk format (Parquet, ORC, Avro...): it cannot be resumed, so it rolls on every checkpoint. */
final class BulkPartFile<IN> extends InProgressPartFile<IN> {

    private final BulkWriter<IN> writer;

    BulkPartFile(String bucketId, Path target, BufferedPartFileStream stream, BulkWriter<IN> writer, long creationTime) {
        super(bucketId, target, stream, creationTime, 0);
        this.writer = writer;
    }

    @Override
    protected void encode(IN element) throws IOException {
        writer.addElement(element);
    }

    @Override
    protected long formatBufferedBytes() {
        return writer instanceof MemoryReporting ? ((MemoryReporting) writer).bufferedBytes() : 0;
    }

    @Override
    public RecoverableWriter.ResumeRecoverable persist() {
        throw new UnsupportedOperationException(
                "Bulk-format part files cannot be persisted; they are rolled on every checkpoint.");
    }

    @Override
    protected void finishFormat() throws IOException {
        writer.flush();
        writer.finish();
    }
}
