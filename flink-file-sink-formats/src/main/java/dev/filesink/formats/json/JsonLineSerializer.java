package dev.filesink.formats.json;

import dev.filesink.formats.avro.AvroDataModel;
import dev.filesink.formats.avro.AvroRecordValidator;
import dev.filesink.formats.records.BadRecordException;
import dev.filesink.formats.row.RecordBuffer;
import dev.filesink.formats.row.RecordSerializer;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.types.Row;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Set;

/** Writes one record as one line of JSON into the record buffer. */
final class JsonLineSerializer<T> implements RecordSerializer<T> {

    private static final long serialVersionUID = 1L;

    private final JsonLinesFormat.Kind kind;
    private final List<String> rowFieldNames;
    private final MapperCustomizer customizer;
    private final AvroRecordValidator avroValidator = new AvroRecordValidator(AvroDataModel.GENERIC);

    private transient ObjectMapper mapper;
    /** One generator for all records (creating one per record was a third of the serializer's time). */
    private transient JsonGenerator generator;
    private transient RecordTarget target;

    JsonLineSerializer(JsonLinesFormat.Kind kind, List<String> rowFieldNames, MapperCustomizer customizer) {
        this.kind = kind;
        this.rowFieldNames = rowFieldNames;
        this.customizer = customizer;
    }

    @Override
    public void serialize(T record, RecordBuffer out) throws IOException {
        if (record == null) {
            throw new BadRecordException("", "the record is null");
        }
        if (mapper == null) {
            mapper = new ObjectMapper()
                    .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                    .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
            if (customizer != null) {
                customizer.customize(mapper);
            }
        }
        if (kind == JsonLinesFormat.Kind.AVRO) {
            if (!(record instanceof GenericRecord avro)) {
                throw new BadRecordException("", "is a " + record.getClass().getName() + ", not an Avro record");
            }
            avroValidator.validate(avro.getSchema(), avro);
        }
        JsonGenerator generator = generator(out);
        boolean written = false;
        try {
            switch (kind) {
                case ROW:
                    writeRow((Row) record, generator, "");
                    break;
                case AVRO:
                    AvroJson.write(generator, ((GenericRecord) record).getSchema(), record);
                    break;
                default:
                    mapper.writeValue(generator, record);
            }
            generator.flush();
            written = true;
        } catch (JsonMappingException e) {
            throw new BadRecordException(e.getPathReference(), e.getOriginalMessage(), e);
        } catch (JsonProcessingException e) {
            // The record's values made Jackson write invalid JSON (e.g. a custom serializer gone wrong).
            throw new BadRecordException("", e.getOriginalMessage(), e);
        } catch (ClassCastException e) {
            throw new BadRecordException("", "is a " + record.getClass().getName() + ": " + e.getMessage(), e);
        } finally {
            if (!written) {
                // A record failed half way: the generator is inside an object and may hold some of its bytes.
                this.generator = null;
            }
        }
        out.write('\n');
    }

    private JsonGenerator generator(RecordBuffer out) throws IOException {
        if (generator == null) {
            target = new RecordTarget();
            generator = mapper.getFactory().createGenerator(target, JsonEncoding.UTF8);
            // Records are separated by our line ends, not by the space Jackson puts between root values.
            generator.setRootValueSeparator(null);
        }
        target.buffer = out;
        return generator;
    }

    /** The generator's output: the buffer of the record being written. */
    private static final class RecordTarget extends OutputStream {

        private RecordBuffer buffer;

        @Override
        public void write(int b) {
            buffer.write(b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            buffer.write(bytes, offset, length);
        }
    }

    private void writeRow(Row row, JsonGenerator generator, String path) throws IOException {
        Set<String> names = row.getFieldNames(true);
        generator.writeStartObject();
        if (names != null) {
            for (String name : rowFieldNames != null && path.isEmpty() ? rowFieldNames : names) {
                generator.writeFieldName(name);
                writeValue(row.getField(name), generator, path.isEmpty() ? name : path + '.' + name);
            }
        } else {
            if (rowFieldNames == null || !path.isEmpty()) {
                throw new BadRecordException(path, "is a positional Row without field names; give the names to "
                        + "JsonLinesFormat.forRows(...) or create rows with Row.withNames()");
            }
            if (row.getArity() != rowFieldNames.size()) {
                throw new BadRecordException(path, "has " + row.getArity() + " fields, but " + rowFieldNames.size()
                        + " field names were given: " + rowFieldNames);
            }
            for (int i = 0; i < rowFieldNames.size(); i++) {
                generator.writeFieldName(rowFieldNames.get(i));
                writeValue(row.getField(i), generator, rowFieldNames.get(i));
            }
        }
        generator.writeEndObject();
    }

    private void writeValue(Object value, JsonGenerator generator, String path) throws IOException {
        if (value instanceof Row nested) {
            writeRow(nested, generator, path);
        } else {
            try {
                mapper.writeValue(generator, value);
            } catch (JsonMappingException e) {
                throw new BadRecordException(path, e.getOriginalMessage(), e);
            }
        }
    }
}
