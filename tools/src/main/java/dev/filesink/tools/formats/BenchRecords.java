package dev.filesink.tools.formats;

import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.connector.datagen.source.GeneratorFunction;

/** The benchmark's records: orders of about 100 bytes, as Avro records (Parquet) and POJOs (JSON lines). */
public final class BenchRecords {

    public static final Schema SCHEMA = SchemaBuilder.record("Order").namespace("dev.filesink.bench").fields()
            .requiredLong("id")
            .requiredInt("customer")
            .requiredString("product")
            .requiredDouble("amount")
            .requiredLong("timestamp")
            .optionalString("note")
            .endRecord();

    private static final String[] PRODUCTS = {
        "coffee beans 1kg", "espresso machine", "milk frother", "paper filters x100", "ceramic cup", "grinder"
    };

    /**
     * When the source made its first record (System.nanoTime, 0 before): the job runs in the benchmark's JVM, so the
     * run can tell the fixed start-up time (MiniCluster, job submission) apart from the time spent writing.
     */
    private static volatile long firstRecordNanos;

    private BenchRecords() {}

    /** System.nanoTime of the first record made in this JVM, or 0. */
    public static long firstRecordNanos() {
        return firstRecordNanos;
    }

    private static void noteFirstRecord() {
        if (firstRecordNanos == 0) {
            firstRecordNanos = System.nanoTime();
        }
    }

    /** A POJO order, written by Jackson on both sides. */
    public static class Order {
        public long id;
        public int customer;
        public String product;
        public double amount;
        public long timestamp;
        public String note;

        public Order() {}

        static Order of(long id) {
            Order order = new Order();
            order.id = id;
            order.customer = (int) (id % 100_003);
            order.product = PRODUCTS[(int) (id % PRODUCTS.length)];
            order.amount = (id % 10_000) / 100.0;
            order.timestamp = 1_700_000_000_000L + id;
            order.note = id % 5 == 0 ? null : "deliver to door " + (id % 97);
            return order;
        }
    }

    public static final class Pojos implements GeneratorFunction<Long, Order> {
        private static final long serialVersionUID = 1L;

        @Override
        public Order map(Long id) {
            noteFirstRecord();
            return Order.of(id);
        }
    }

    public static final class Avro implements GeneratorFunction<Long, GenericRecord> {
        private static final long serialVersionUID = 1L;
        private transient Schema schema;

        @Override
        public GenericRecord map(Long id) {
            noteFirstRecord();
            if (schema == null) {
                schema = new Schema.Parser().parse(SCHEMA.toString());
            }
            Order order = Order.of(id);
            GenericRecord record = new GenericData.Record(schema);
            record.put(0, order.id);
            record.put(1, order.customer);
            record.put(2, order.product);
            record.put(3, order.amount);
            record.put(4, order.timestamp);
            record.put(5, order.note);
            return record;
        }
    }
}
