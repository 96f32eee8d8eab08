package dev.filesink.partfile;

import org.apache.flink.core.fs.RecoverableWriter;

import java.io.IOException;

/** A part file of a row format: records are encoded one after another; it can be persisted and resumed. */
final class RowPartFile<IN> extends InProgressPartFile<IN> {

    private final PartFileAwareEncoder.RecordWriter<IN> records;

    RowPartFile(
            PartFileContext context,
            BufferedPartFileStream stream,
            PartFileAwareEncoder.RecordWriter<IN> records,
            long creationTime,
            long recordCount) {
        super(context, stream, records, creationTime, recordCount);
        this.records = records;
    }

    @Override
    protected void encode(IN element) throws IOException {
        records.write(element);
    }

    @Override
    public RecoverableWriter.ResumeRecoverable persist() throws IOException {
        records.beforePersist();
        return stream.persist();
    }

    @Override
    protected void finishFormat() throws IOException {
        records.finish();
    }

    @Override
    public void discard() throws IOException {
        try {
            records.discard();
        } finally {
            super.discard();
        }
    }
}
