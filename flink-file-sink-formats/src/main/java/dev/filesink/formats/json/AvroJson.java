package dev.filesink.formats.json;

import com.fasterxml.jackson.core.JsonGenerator;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.IndexedRecord;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.Map;

/**
 * Writes Avro data as plain JSON: records as objects, unions as their value, bytes and fixed as base64, enums as
 * their symbol. The record was validated against its schema before, so types are as the schema says.
 */
final class AvroJson {

    private AvroJson() {}

    static void write(JsonGenerator out, Schema schema, Object datum) throws IOException {
        switch (schema.getType()) {
            case RECORD:
                IndexedRecord record = (IndexedRecord) datum;
                out.writeStartObject();
                for (Schema.Field field : schema.getFields()) {
                    out.writeFieldName(field.name());
                    write(out, field.schema(), record.get(field.pos()));
                }
                out.writeEndObject();
                return;
            case UNION:
                write(out, schema.getTypes().get(GenericData.get().resolveUnion(schema, datum)), datum);
                return;
            case ARRAY:
                out.writeStartArray();
                for (Object item : (Collection<?>) datum) {
                    write(out, schema.getElementType(), item);
                }
                out.writeEndArray();
                return;
            case MAP:
                out.writeStartObject();
                for (Map.Entry<?, ?> entry : ((Map<?, ?>) datum).entrySet()) {
                    out.writeFieldName(entry.getKey().toString());
                    write(out, schema.getValueType(), entry.getValue());
                }
                out.writeEndObject();
                return;
            case NULL:
                out.writeNull();
                return;
            case BOOLEAN:
                out.writeBoolean((Boolean) datum);
                return;
            case INT:
                out.writeNumber(((Number) datum).intValue());
                return;
            case LONG:
                out.writeNumber(((Number) datum).longValue());
                return;
            case FLOAT:
                out.writeNumber(((Number) datum).floatValue());
                return;
            case DOUBLE:
                out.writeNumber(((Number) datum).doubleValue());
                return;
            case BYTES:
                ByteBuffer buffer = ((ByteBuffer) datum).duplicate();
                byte[] bytes = new byte[buffer.remaining()];
                buffer.get(bytes);
                out.writeBinary(bytes);
                return;
            case FIXED:
                out.writeBinary(((GenericFixed) datum).bytes());
                return;
            default: // STRING, ENUM
                out.writeString(datum.toString());
        }
    }
}
