package dev.filesink.formats.testing;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecordBase;

/** A specific record as Avro's code generator would write it (by hand, to keep the build free of the plugin). */
public class SpecificOrder extends SpecificRecordBase {

    public static final Schema SCHEMA$ = new Schema.Parser().parse(
            Orders.SCHEMA.toString().replace("\"name\":\"Order\"", "\"name\":\"SpecificOrder\"")
                    .replace("\"namespace\":\"dev.filesink.test\"", "\"namespace\":\"dev.filesink.formats.testing\""));

    private long id;
    private CharSequence name;
    private double amount;
    private CharSequence note;

    public SpecificOrder() {}

    public SpecificOrder(long id, CharSequence name, double amount, CharSequence note) {
        this.id = id;
        this.name = name;
        this.amount = amount;
        this.note = note;
    }

    public static Schema getClassSchema() {
        return SCHEMA$;
    }

    @Override
    public Schema getSchema() {
        return SCHEMA$;
    }

    @Override
    public Object get(int field) {
        switch (field) {
            case 0: return id;
            case 1: return name;
            case 2: return amount;
            case 3: return note;
            default: throw new IndexOutOfBoundsException("Invalid index: " + field);
        }
    }

    @Override
    public void put(int field, Object value) {
        switch (field) {
            case 0: id = (Long) value; break;
            case 1: name = (CharSequence) value; break;
            case 2: amount = (Double) value; break;
            case 3: note = (CharSequence) value; break;
            default: throw new IndexOutOfBoundsException("Invalid index: " + field);
        }
    }
}
