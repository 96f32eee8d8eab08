package dev.filesink.formats.avro;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericData;
import org.apache.avro.reflect.ReflectData;
import org.apache.avro.specific.SpecificData;

/** Which of Avro's data models reads the records: generic, specific (generated classes) or reflect (POJOs). */
public enum AvroDataModel {
    GENERIC,
    SPECIFIC,
    REFLECT;

    public GenericData model() {
        switch (this) {
            case SPECIFIC:
                return SpecificData.get();
            case REFLECT:
                return ReflectData.get();
            default:
                return GenericData.get();
        }
    }

    /** The schema of a record: its own if it carries one (generic, specific), else the given one. */
    public static Schema schemaOf(Object record, Schema fallback) {
        return record instanceof GenericContainer container ? container.getSchema() : fallback;
    }
}
