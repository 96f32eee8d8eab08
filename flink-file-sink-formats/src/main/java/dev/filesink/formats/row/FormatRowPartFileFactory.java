package dev.filesink.formats.row;

import dev.filesink.formats.records.PartFileContext;
import dev.filesink.partfile.BufferedPartFileStream;
import dev.filesink.partfile.InProgressPartFile;
import dev.filesink.partfile.PartFileFactory;

import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.RecoverableWriter;

import java.io.IOException;

/** Opens and resumes row part files, telling the encoder the bucket and file (for messages about bad records). */
public final class FormatRowPartFileFactory<IN> implements PartFileFactory<IN> {

    private static final long serialVersionUID = 1L;

    private final RowEncoder<IN> encoder;

    public FormatRowPartFileFactory(RowEncoder<IN> encoder) {
        this.encoder = encoder;
    }

    public RowEncoder<IN> encoder() {
        return encoder;
    }

    @Override
    public InProgressPartFile<IN> open(RecoverableWriter writer, String bucketId, Path target, long now, int bufferSize)
            throws IOException {
        BufferedPartFileStream stream = new BufferedPartFileStream(writer.open(target), bufferSize);
        try {
            return new RowFile<>(bucketId, target, stream,
                    encoder.openPartFile(stream, false, new PartFileContext(bucketId, target)), now, 0);
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
            int bufferSize)
            throws IOException {
        BufferedPartFileStream stream = new BufferedPartFileStream(writer.recover(resumable), bufferSize);
        return new RowFile<>(bucketId, target, stream,
                encoder.openPartFile(stream, true, new PartFileContext(bucketId, target)), creationTime, recordCount);
    }

    @Override
    public boolean supportsResume() {
        return true;
    }

    /** A row part file: records one after another, compression units ended at every persist. */
    private static final class RowFile<IN> extends InProgressPartFile<IN> {

        private final RowRecordWriter<IN> records;

        RowFile(String bucketId, Path target, BufferedPartFileStream stream,
                RowRecordWriter<IN> records, long creationTime, long recordCount) {
            super(bucketId, target, stream, creationTime, recordCount);
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
            records.discard();
            super.discard();
        }

        @Override
        protected long formatBufferedBytes() {
            return records.bufferedBytes();
        }
    }
}
