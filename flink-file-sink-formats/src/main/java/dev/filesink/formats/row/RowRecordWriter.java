package dev.filesink.formats.row;

import dev.filesink.formats.compression.CompressedUnits;
import dev.filesink.formats.records.BadRecordException;
import dev.filesink.formats.records.BadRecords;
import dev.filesink.partfile.PartFileAwareEncoder;
import dev.filesink.partfile.PartFileContext;

import java.io.IOException;

/** Writes the records of one part file of a row format. */
final class RowRecordWriter<T> implements PartFileAwareEncoder.RecordWriter<T> {

    private final RecordSerializer<T> serializer;
    private final CompressedUnits units;
    private final BadRecords badRecords;
    private final PartFileContext where;
    private final RecordBuffer buffer = new RecordBuffer();

    RowRecordWriter(RecordSerializer<T> serializer, CompressedUnits units, BadRecords badRecords, PartFileContext where) {
        this.serializer = serializer;
        this.units = units;
        this.badRecords = badRecords;
        this.where = where;
    }

    void writeRaw(byte[] bytes) throws IOException {
        units.write(bytes, 0, bytes.length);
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
        units.write(buffer.array(), 0, buffer.size());
    }

    @Override
    public void beforePersist() throws IOException {
        units.endUnit();
    }

    @Override
    public void finish() throws IOException {
        units.endUnit();
    }
}
