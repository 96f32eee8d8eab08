package dev.filesink.formats.avro;

import dev.filesink.formats.records.BadRecordException;

import org.apache.avro.Conversion;
import org.apache.avro.LogicalType;
import org.apache.avro.Schema;
import org.apache.avro.UnresolvedUnionException;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.IndexedRecord;

import java.io.Serializable;
import java.util.Collection;
import java.util.Map;

/**
 * Checks a record against an Avro schema before any of it is written, and names the first field that does not fit
 * ({@code "address.zip"}, {@code "items[2].price"}). Works for generic, specific and reflect records through their
 * data model.
 */
public final class AvroRecordValidator implements Serializable {

    private static final long serialVersionUID = 1L;

    private final AvroDataModel dataModel;
    private transient GenericData model;

    public AvroRecordValidator(AvroDataModel dataModel) {
        this.dataModel = dataModel;
    }

    /** @throws BadRecordException naming the field that does not fit the schema */
    public void validate(Schema schema, Object record) {
        if (model == null) {
            model = dataModel.model();
        }
        check(schema, record, "");
    }

    private void check(Schema schema, Object datum, String path) {
        switch (schema.getType()) {
            case RECORD:
                if (datum == null) {
                    throw new BadRecordException(path, "is null, but the schema has record " + schema.getFullName()
                            + " there (not nullable)");
                }
                IndexedRecord indexed = datum instanceof IndexedRecord r && r.getSchema() == schema ? r : null;
                for (Schema.Field field : schema.getFields()) {
                    Object value;
                    try {
                        value = indexed != null ? indexed.get(field.pos()) : model.getField(datum, field.name(), field.pos());
                    } catch (RuntimeException e) {
                        throw new BadRecordException(child(path, field), "cannot be read from a "
                                + datum.getClass().getName() + ": " + e, e);
                    }
                    if (!fastValid(field.schema(), value)) {
                        check(field.schema(), value, child(path, field));
                    }
                }
                return;
            case UNION:
                int branch;
                try {
                    branch = model.resolveUnion(schema, datum);
                } catch (UnresolvedUnionException e) {
                    throw new BadRecordException(path, datum == null
                            ? "is null, but the schema does not allow null (" + schema + ")"
                            : "has a " + datum.getClass().getName() + " that matches no type of " + schema);
                }
                check(schema.getTypes().get(branch), datum, path);
                return;
            case ARRAY:
                if (datum instanceof Collection<?> items) {
                    int index = 0;
                    for (Object item : items) {
                        check(schema.getElementType(), item, path + '[' + index++ + ']');
                    }
                    return;
                }
                checkLeaf(schema, datum, path);
                return;
            case MAP:
                if (datum instanceof Map<?, ?> map) {
                    for (Map.Entry<?, ?> entry : map.entrySet()) {
                        if (!(entry.getKey() instanceof CharSequence)) {
                            throw new BadRecordException(path, "has a map key that is not a string: " + entry.getKey());
                        }
                        check(schema.getValueType(), entry.getValue(), path + '[' + entry.getKey() + ']');
                    }
                    return;
                }
                checkLeaf(schema, datum, path);
                return;
            default:
                checkLeaf(schema, datum, path);
        }
    }

    private static String child(String path, Schema.Field field) {
        return path.isEmpty() ? field.name() : path + '.' + field.name();
    }

    /**
     * The common cases without walking further: a value of exactly the type the schema names, or null where the
     * schema is a union with null. Everything else goes the full way (which also names the field).
     */
    private static boolean fastValid(Schema schema, Object value) {
        Schema.Type type = schema.getType();
        if (type == Schema.Type.UNION) {
            java.util.List<Schema> branches = schema.getTypes();
            if (branches.size() != 2) {
                return false;
            }
            Schema first = branches.get(0);
            Schema second = branches.get(1);
            if (first.getType() == Schema.Type.NULL) {
                return value == null || fastValid(second, value);
            }
            if (second.getType() == Schema.Type.NULL) {
                return value == null || fastValid(first, value);
            }
            return false;
        }
        if (value == null || schema.getLogicalType() != null) {
            return type == Schema.Type.NULL && value == null;
        }
        switch (type) {
            case STRING:
                return value instanceof CharSequence;
            case LONG:
                return value instanceof Long;
            case INT:
                return value instanceof Integer;
            case DOUBLE:
                return value instanceof Double;
            case FLOAT:
                return value instanceof Float;
            case BOOLEAN:
                return value instanceof Boolean;
            default:
                return false;
        }
    }

    private void checkLeaf(Schema schema, Object datum, String path) {
        if (datum == null) {
            if (schema.getType() == Schema.Type.NULL) {
                return;
            }
            throw new BadRecordException(path, "is null, but the schema's type there is " + describe(schema)
                    + " (not nullable)");
        }
        LogicalType logicalType = schema.getLogicalType();
        if (logicalType != null) {
            Conversion<?> conversion = model.getConversionByClass(datum.getClass(), logicalType);
            if (conversion != null) {
                return;
            }
        }
        if (!model.validate(schema, datum)) {
            throw new BadRecordException(path, "has a " + datum.getClass().getName() + " (" + abbreviate(datum)
                    + "), but the schema's type there is " + describe(schema));
        }
    }

    private static String describe(Schema schema) {
        return schema.getLogicalType() != null
                ? schema.getType().getName() + " (" + schema.getLogicalType().getName() + ")"
                : schema.getType().getName();
    }

    private static String abbreviate(Object value) {
        String text = String.valueOf(value);
        return text.length() <= 60 ? text : text.substring(0, 60) + "...";
    }
}
