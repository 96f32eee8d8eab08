package dev.filesink.formats.avro;

import dev.filesink.formats.bulk.FormatBulkWriter;
import dev.filesink.formats.bulk.FormatWriterFactory;
import dev.filesink.formats.records.BadRecordException;
import dev.filesink.partfile.PartFileContext;
import dev.filesink.partfile.RollReason;
import dev.filesink.partfile.RollRequesting;

import org.apache.avro.Schema;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericData;
import org.apache.avro.io.DatumWriter;
import org.apache.flink.core.fs.FSDataOutputStream;

import java.io.IOException;
import java.util.Map;

/** Creates Avro container file writers for part files. */
public final class AvroWriterFactory<T> implements FormatWriterFactory<T> {

    private static final long serialVersionUID = 1L;

    private final AvroFormat<T> format;
    private final AvroRecordValidator validator;
    private transient Schema defaultSchema;

    AvroWriterFactory(AvroFormat<T> format) {
        this.format = format;
        this.validator = new AvroRecordValidator(format.dataModel);
    }

    @Override
    public FormatBulkWriter<T> create(FSDataOutputStream out, PartFileContext where) {
        if (defaultSchema == null) {
            defaultSchema = new Schema.Parser().parse(format.schema);
        }
        return new PartWriter(out, where);
    }

    /** One Avro container file; opened with the schema of its first record, rolled for a record that does not fit. */
    private final class PartWriter implements FormatBulkWriter<T>, RollRequesting<T> {

        private final FSDataOutputStream out;
        private final PartFileContext where;
        private final GenericData model = format.dataModel.model();
        private final SchemaChanges schemas = new SchemaChanges(format.allowCompatibleSchemas, model);
        private DataFileWriter<Object> writer;

        PartWriter(FSDataOutputStream out, PartFileContext where) {
            this.out = out;
            this.where = where;
        }

        @Override
        public RollReason rollBefore(T next) {
            return schemas.fits(AvroDataModel.schemaOf(next, defaultSchema)) ? null : RollReason.FORMAT;
        }

        @Override
        public void addElement(T element) throws IOException {
            Object record;
            try {
                if (element == null) {
                    throw new BadRecordException("", "the record is null");
                }
                Schema schema = AvroDataModel.schemaOf(element, defaultSchema);
                if (writer != null && !schemas.fits(schema)) {
                    throw new BadRecordException("", "its schema " + schema.getFullName() + " differs from the part "
                            + "file's; use dev.filesink.FileSink, which rolls to a new part file on a schema change");
                }
                validator.validate(schema, element);
                if (writer == null) {
                    open(schema);
                }
                record = schemas.toFileSchema(element, schema);
            } catch (BadRecordException e) {
                format.badRecords().handle(e, element, where);
                return;
            }
            writer.append(record);
        }

        @SuppressWarnings("unchecked")
        private void open(Schema schema) throws IOException {
            DatumWriter<Object> datumWriter = (DatumWriter<Object>) model.createDatumWriter(schema);
            writer = new DataFileWriter<>(datumWriter);
            writer.setCodec(format.codec.codecFactory());
            writer.setSyncInterval(format.syncInterval);
            for (Map.Entry<String, String> entry : format.metadata.entrySet()) {
                writer.setMeta(entry.getKey(), entry.getValue());
            }
            writer.create(schema, out);
            schemas.fileSchema(schema);
        }

        @Override
        public void flush() throws IOException {
            if (writer != null) {
                writer.flush();
            }
        }

        @Override
        public void finish() throws IOException {
            if (writer == null) {
                open(defaultSchema);
            }
            writer.close();
        }

        @Override
        public long bufferedBytes() {
            // DataFileWriter buffers at most one block (the sync interval) before writing it out.
            return writer == null ? 0 : format.syncInterval;
        }
    }
}
