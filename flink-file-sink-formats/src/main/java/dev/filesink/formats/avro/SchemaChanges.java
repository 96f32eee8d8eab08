package dev.filesink.formats.avro;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Decides whether a record of one schema may go into a part file of another, and converts it. A record fits if its
 * schema is the file's, or, when compatible records are allowed, if the file's schema can read it by Avro's
 * resolution rules without losing any of its fields (added fields with defaults, promoted numbers).
 */
public final class SchemaChanges {

    private final boolean allowCompatible;
    private final GenericData model;
    private final Map<Schema, Boolean> fitsFile = new IdentityHashMap<>();
    private final Map<Schema, Converter> converters = new IdentityHashMap<>();
    private Schema fileSchema;

    public SchemaChanges(boolean allowCompatible, GenericData model) {
        this.allowCompatible = allowCompatible;
        this.model = model;
    }

    /** Fixes the schema of the part file (its first record's). */
    public void fileSchema(Schema schema) {
        this.fileSchema = schema;
        fitsFile.clear();
        converters.clear();
    }

    public Schema fileSchema() {
        return fileSchema;
    }

    /** Whether a record of this schema may be written to the file. */
    public boolean fits(Schema recordSchema) {
        if (fileSchema == null || recordSchema == fileSchema) {
            return true;
        }
        Boolean known = fitsFile.get(recordSchema);
        if (known == null) {
            known = recordSchema.equals(fileSchema) || (allowCompatible && readsWithoutLoss(fileSchema, recordSchema));
            if (fitsFile.size() > 64) {
                fitsFile.clear();
            }
            fitsFile.put(recordSchema, known);
        }
        return known;
    }

    /** The record in the file's schema: itself if the schemas are equal, else converted by schema resolution. */
    public Object toFileSchema(Object record, Schema recordSchema) {
        if (recordSchema == fileSchema || recordSchema.equals(fileSchema)) {
            return record;
        }
        return converters.computeIfAbsent(recordSchema, writer -> new Converter(writer, fileSchema, model)).convert(record);
    }

    static boolean readsWithoutLoss(Schema reader, Schema writer) {
        if (SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getType()
                != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            return false;
        }
        return keepsAllFields(reader, writer, new HashMap<>());
    }

    private static boolean keepsAllFields(Schema reader, Schema writer, Map<String, Boolean> seen) {
        if (reader.getType() == Schema.Type.UNION || writer.getType() == Schema.Type.UNION) {
            return true; // resolved per branch; the compatibility check covers the types
        }
        if (reader.getType() != Schema.Type.RECORD || writer.getType() != Schema.Type.RECORD) {
            return true;
        }
        if (seen.put(writer.getFullName(), true) != null) {
            return true;
        }
        for (Schema.Field field : writer.getFields()) {
            Schema.Field readerField = reader.getField(field.name());
            if (readerField == null || !keepsAllFields(readerField.schema(), field.schema(), seen)) {
                return false;
            }
        }
        return true;
    }

    /** Re-reads a record of one schema as another, the way Avro resolves schemas. */
    private static final class Converter {
        private final GenericDatumWriter<Object> writer;
        private final GenericDatumReader<Object> reader;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private BinaryEncoder encoder;
        private BinaryDecoder decoder;

        Converter(Schema writerSchema, Schema readerSchema, GenericData model) {
            this.writer = new GenericDatumWriter<>(writerSchema, model);
            this.reader = new GenericDatumReader<>(writerSchema, readerSchema, model);
        }

        Object convert(Object record) {
            try {
                bytes.reset();
                encoder = EncoderFactory.get().directBinaryEncoder(bytes, encoder);
                writer.write(record, encoder);
                decoder = DecoderFactory.get().binaryDecoder(bytes.toByteArray(), decoder);
                return reader.read(null, decoder);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
