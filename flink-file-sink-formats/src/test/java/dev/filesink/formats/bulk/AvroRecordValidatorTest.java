package dev.filesink.formats.bulk;

import dev.filesink.formats.avro.AvroDataModel;
import dev.filesink.formats.avro.AvroRecordValidator;
import dev.filesink.formats.records.BadRecordException;
import dev.filesink.formats.testing.Order;
import dev.filesink.formats.testing.Orders;

import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.reflect.ReflectData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.StringData;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The validators name the field that does not fit, down nested records and arrays. */
class AvroRecordValidatorTest {

    private static final Schema LINE = SchemaBuilder.record("Line").fields()
            .requiredString("sku").requiredInt("quantity").endRecord();
    private static final Schema NESTED = SchemaBuilder.record("Basket").fields()
            .requiredLong("id")
            .name("lines").type().array().items(LINE).noDefault()
            .endRecord();

    @Test
    void namesTheFieldInNestedRecordsAndArrays() {
        GenericRecord good = line("a", 1);
        GenericRecord bad = line("b", 2);
        bad.put("quantity", "two");
        GenericRecord basket = new GenericData.Record(NESTED);
        basket.put("id", 1L);
        basket.put("lines", List.of(good, bad));
        assertThatThrownBy(() -> new AvroRecordValidator(AvroDataModel.GENERIC).validate(NESTED, basket))
                .isInstanceOf(BadRecordException.class)
                .hasMessageContaining("field 'lines[1].quantity'")
                .hasMessageContaining("java.lang.String");
    }

    @Test
    void nullsAreOnlyAllowedWhereTheSchemaSaysSo() {
        AvroRecordValidator validator = new AvroRecordValidator(AvroDataModel.GENERIC);
        GenericRecord order = Orders.generic(7); // note is null, and nullable
        assertThatCode(() -> validator.validate(Orders.SCHEMA, order)).doesNotThrowAnyException();
        order.put("name", null);
        assertThatThrownBy(() -> validator.validate(Orders.SCHEMA, order))
                .hasMessageContaining("field 'name'").hasMessageContaining("not nullable");
    }

    @Test
    void reflectRecordsAreCheckedThroughTheirDataModel() {
        Schema schema = ReflectData.get().getSchema(Order.class);
        AvroRecordValidator validator = new AvroRecordValidator(AvroDataModel.REFLECT);
        assertThatCode(() -> validator.validate(schema, Order.of(7))).doesNotThrowAnyException();
        Order order = Order.of(8);
        order.name = null;
        assertThatThrownBy(() -> validator.validate(schema, order)).hasMessageContaining("field 'name'");
    }

    @Test
    void rowDataNullsAndTypesAreCheckedByField() {
        RowDataValidator validator = new RowDataValidator(Orders.ROW_TYPE);
        assertThatCode(() -> validator.validate(Orders.rowData(3))).doesNotThrowAnyException();
        assertThatThrownBy(() -> validator.validate(GenericRowData.of(1L, null, 2.0, null)))
                .hasMessageContaining("field 'name'").hasMessageContaining("NOT NULL");
        assertThatThrownBy(() -> validator.validate(GenericRowData.of(1L, StringData.fromString("a"), "x", null)))
                .hasMessageContaining("field 'amount'");
        assertThatThrownBy(() -> validator.validate(GenericRowData.of(1L)))
                .hasMessageContaining("has 1 fields");
    }

    private static GenericRecord line(String sku, int quantity) {
        GenericRecord line = new GenericData.Record(LINE);
        line.put("sku", sku);
        line.put("quantity", quantity);
        return line;
    }
}
