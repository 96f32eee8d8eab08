package dev.filesink.tools.manybuckets;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.connector.datagen.source.GeneratorFunction;

import java.util.concurrent.atomic.AtomicLong;

/** The benchmark's records: orders of ~2,000 customers, spread evenly (the worst case for open files). */
final class Orders {

    static final String SCHEMA = "{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\"dev.filesink.bench\",\"fields\":["
            + "{\"name\":\"id\",\"type\":\"long\"},"
            + "{\"name\":\"customer\",\"type\":\"string\"},"
            + "{\"name\":\"ts\",\"type\":\"long\"},"
            + "{\"name\":\"amount\",\"type\":\"double\"},"
            + "{\"name\":\"item\",\"type\":\"string\"}]}";

    /** Records generated in this JVM, i.e. handed to the sink (source and sink are chained). */
    static final AtomicLong GENERATED = new AtomicLong();

    private Orders() {}

    static Schema schema() {
        return new Schema.Parser().parse(SCHEMA);
    }

    /** Record {@code id}: its customer is a fixed pseudo-random one of {@code customers}. */
    static final class Generator implements GeneratorFunction<Long, GenericRecord> {
        private static final long serialVersionUID = 1L;

        private final int customers;
        private transient Schema schema;
        private transient String[] customerNames;
        private transient String[] items;

        Generator(int customers) {
            this.customers = customers;
        }

        @Override
        public void open(SourceReaderContext context) {
            schema = schema();
            customerNames = new String[customers];
            for (int i = 0; i < customers; i++) {
                customerNames[i] = String.format("c%05d", i);
            }
            items = new String[997];
            for (int i = 0; i < items.length; i++) {
                items[i] = "item-" + i + "-" + "z".repeat(20);
            }
        }

        @Override
        public GenericRecord map(Long id) {
            GenericRecord order = new GenericData.Record(schema);
            order.put("id", id);
            // A multiplicative hash: every customer equally often, in no order.
            order.put("customer", customerNames[(int) Math.floorMod(id * 0x9E3779B97F4A7C15L >>> 20, customers)]);
            order.put("ts", 1_795_000_000_000L + id);
            order.put("amount", (id % 100_000) / 100.0);
            order.put("item", items[(int) (id % items.length)]);
            GENERATED.incrementAndGet();
            return order;
        }
    }
}
