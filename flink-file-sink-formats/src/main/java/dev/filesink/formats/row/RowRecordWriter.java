package dev.filesink.formats.row;

import dev.filesink.formats.compression.CompressedOutput;
import dev.filesink.formats.records.BadRecordException;
import dev.filesink.formats.records.BadRecords;
import dev.filesink.partfile.MemoryReporting;
import dev.filesink.partfile.PartFileAwareEncoder;
import dev.filesink.partfile.PartFileContext;

import java.io.IOException;

/**
 * Writes the records of one part file of a row format; reports the memory its compression holds to the sink's
 * budget.
 */
public final class RowRecordWriter<T> implements PartFileAwareEncoder.RecordWriter<T>, MemoryReporting {

    private final RecordSerializer<T> serializer;
    private final CompressedOutput output;
    private final BadRecords badRecords;
    private final PartFileContext where;
    private final RecordBuffer buffer = new RecordBuffer();

    RowRecordWriter(RecordSerializer<T> serializer, CompressedOutput output, BadRecords badRecords,
            PartFileContext where) {
        this.serializer = serializer;
        this.output = output;
        this.badRecords = badRecords;
        this.where = where;
    }

    void writeRaw(byte[] bytes) throws IOException {
        output.write(bytes, 0, bytes.length);
    }

    @Override
    public void write(T element) throws IOException {
        buffer.reset();
        try {
            serializer.serialize(element, buffer);
        } catch (BadRecordException e) {
            badRecords.handle(e, element, where);
            return;
        }
        output.write(buffer.array(), 0, buffer.size());
    }

    @Override
    public void beforePersist() throws IOException {
        output.endUnit();
    }

    @Override
    public void finish() throws IOException {
        output.endUnit();
    }

    /** Heap bytes held for this part file: the record buffer and the compression's blocks. */
    @Override
    public long bufferedBytes() {
        return buffer.capacity() + output.bufferedBytes();
    }

    /** Releases the compression's blocks (in flight or not) when the part file is abandoned. */
    @Override
    public void discard() {
        output.discard();
    }
}
