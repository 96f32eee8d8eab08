package dev.filesink.formats.parquet;

import dev.filesink.formats.avro.AvroDataModel;
import dev.filesink.formats.avro.SchemaChanges;
import dev.filesink.formats.bulk.FormatBulkWriter;
import dev.filesink.formats.records.BadRecordException;
import dev.filesink.partfile.PartFileContext;
import dev.filesink.partfile.RollReason;
import dev.filesink.partfile.RollRequesting;

import org.apache.avro.Schema;
import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.formats.parquet.row.ParquetRowDataBuilder;
import org.apache.flink.table.data.RowData;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetWriter;

import java.io.IOException;

/**
 * Writes one Parquet part file. For Avro records the file's schema is its first record's; the Parquet writer is
 * opened with it when that record arrives, and a record that does not fit it asks for a new part file. Every record
 * is validated before Parquet sees it, so a bad record never leaves half a row in a row group.
 */
final class ParquetPartWriter<T> implements FormatBulkWriter<T>, RollRequesting<T> {

    private final ParquetWriterFactory<T> factory;
    private final ParquetFormat<T> format;
    private final FSDataOutputStream out;
    private final long startPos;
    private final PartFileContext where;
    private final SchemaChanges schemas;

    private ParquetWriter<Object> writer;

    ParquetPartWriter(ParquetWriterFactory<T> factory, FSDataOutputStream out, PartFileContext where) throws IOException {
        this.factory = factory;
        this.format = factory.format();
        this.out = out;
        this.startPos = out.getPos();
        this.where = where;
        this.schemas = format.dataModel == null
                ? null
                : new SchemaChanges(format.allowCompatibleSchemas, format.dataModel.model());
    }

    @Override
    public RollReason rollBefore(T next) {
        return schemas == null || schemas.fits(AvroDataModel.schemaOf(next, factory.defaultSchema()))
                ? null
                : RollReason.FORMAT;
    }

    @Override
    public void addElement(T element) throws IOException {
        Object record;
        try {
            record = prepare(element);
        } catch (BadRecordException e) {
            format.badRecords().handle(e, element, where);
            return;
        }
        writer.write(record);
    }

    /** Validates the record (opening the file with its schema if it is the first) and returns what to write. */
    private Object prepare(T element) throws IOException {
        if (element == null) {
            throw new BadRecordException("", "the record is null");
        }
        if (schemas == null) {
            factory.rowDataValidator().validate((RowData) element);
            if (writer == null) {
                open(null);
            }
            return element;
        }
        Schema schema = AvroDataModel.schemaOf(element, factory.defaultSchema());
        if (writer == null) {
            factory.avroValidator().validate(schema, element);
            open(schema);
            schemas.fileSchema(schema);
            return element;
        }
        if (!schemas.fits(schema)) {
            throw new BadRecordException("", "its schema " + schema.getFullName() + " differs from the part file's "
                    + "schema; use dev.filesink.FileSink, which rolls to a new part file on a schema change."
                    + " Record schema: " + schema + ", file schema: " + schemas.fileSchema());
        }
        factory.avroValidator().validate(schema, element);
        return schemas.toFileSchema(element, schema);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void open(Schema schema) throws IOException {
        StreamOutputFile file = new StreamOutputFile(out);
        ParquetWriter.Builder builder;
        if (schema != null) {
            builder = AvroParquetWriter.builder(file).withSchema(schema).withDataModel(format.dataModel.model());
        } else {
            builder = new ParquetRowDataBuilder(file, format.rowType, format.utcTimestamps);
        }
        writer = (ParquetWriter<Object>) builder
                .withConf(factory.configuration())
                .withCodecFactory(factory.codecs())
                .withCompressionCodec(format.codec.parquetName())
                .withRowGroupSize(format.rowGroupSize)
                .withPageSize(format.pageSize)
                .withDictionaryEncoding(format.dictionary)
                .build();
    }

    @Override
    public void flush() {
        // Parquet writes whole row groups; the rest is written by finish().
    }

    @Override
    public void finish() throws IOException {
        if (writer == null) {
            open(schemas == null ? null : factory.defaultSchema());
        }
        writer.close();
    }

    /**
     * The pages held for the row group: Parquet writes the row group when the file closes (at the checkpoint), so
     * this grows with the file, and rolling the file frees it. (The column writers' fixed allocations, about 20 KiB
     * per dictionary-encoded column, are left out: rolling cannot free them, as the next record reopens the file.)
     */
    @Override
    public long bufferedBytes() {
        if (writer == null) {
            return 0;
        }
        try {
            return Math.max(0, writer.getDataSize() - (out.getPos() - startPos));
        } catch (IOException e) {
            return writer.getDataSize();
        }
    }
}
