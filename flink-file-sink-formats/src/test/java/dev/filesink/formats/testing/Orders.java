package dev.filesink.formats.testing;

import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.types.logical.BigIntType;
import org.apache.flink.table.types.logical.DoubleType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.table.types.logical.VarCharType;

/** The test order in each representation the formats take, and back. */
public final class Orders {

    public static final Schema SCHEMA = SchemaBuilder.record("Order").namespace("dev.filesink.test").fields()
            .requiredLong("id")
            .requiredString("name")
            .requiredDouble("amount")
            .optionalString("note")
            .endRecord();

    public static final RowType ROW_TYPE = RowType.of(
            new org.apache.flink.table.types.logical.LogicalType[] {
                new BigIntType(false), new VarCharType(false, VarCharType.MAX_LENGTH), new DoubleType(false),
                new VarCharType(true, VarCharType.MAX_LENGTH)
            },
            new String[] {"id", "name", "amount", "note"});

    private Orders() {}

    public static GenericRecord generic(long id) {
        Order order = Order.of(id);
        GenericRecord record = new GenericData.Record(SCHEMA);
        record.put("id", order.id);
        record.put("name", order.name);
        record.put("amount", order.amount);
        record.put("note", order.note);
        return record;
    }

    public static RowData rowData(long id) {
        Order order = Order.of(id);
        return GenericRowData.of(order.id, StringData.fromString(order.name), order.amount,
                order.note == null ? null : StringData.fromString(order.note));
    }

    public static SpecificOrder specific(long id) {
        Order order = Order.of(id);
        return new SpecificOrder(order.id, order.name, order.amount, order.note);
    }

    /** Reads an order back from an Avro record of any of our schemas (the Parquet reader gives generic records). */
    public static Order fromAvro(GenericRecord record) {
        Object note = record.get("note");
        return new Order((Long) record.get("id"), record.get("name").toString(), (Double) record.get("amount"),
                note == null ? null : note.toString());
    }
}
