package dev.filesink.formats.bulk;

import dev.filesink.formats.Formats;
import dev.filesink.formats.testing.Order;
import dev.filesink.formats.testing.OrderVectorizer;
import dev.filesink.formats.testing.Orders;
import dev.filesink.partfile.PartFileContext;

import org.apache.flink.api.common.serialization.BulkWriter;
import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.function.LongFunction;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Opening a Parquet or ORC part file must be cheap: the writer subtask's factory builds its configuration once and
 * every part file reuses it (Flink's own writers parse Hadoop's XML defaults per file).
 */
class PartFileOpeningCostTest {

    private static final int FILES = 1_000;

    @Test
    void openingAParquetPartFileTakesWellUnderAMillisecond() throws Exception {
        FormatWriterFactory<org.apache.avro.generic.GenericRecord> factory =
                InstantiationUtil.clone(Formats.parquet(Orders.SCHEMA).writerFactory());
        double micros = microsPerFile(factory, Orders::generic);
        assertThat(micros).as("microseconds to open a Parquet part file and write its first record")
                .isLessThan(1_000);
    }

    @Test
    void openingAnOrcPartFileTakesWellUnderAMillisecond() throws Exception {
        FormatWriterFactory<Order> factory = InstantiationUtil.clone(Formats.orc(new OrderVectorizer()).writerFactory());
        double micros = microsPerFile(factory, Order::of);
        assertThat(micros).as("microseconds to open an ORC part file and write its first record")
                .isLessThan(1_000);
    }

    /** Opening plus the first record, per file: the fastest of three rounds (the machine is shared), after a warm-up. */
    private static <T> double microsPerFile(FormatWriterFactory<T> factory, LongFunction<T> record) throws IOException {
        double best = Double.MAX_VALUE;
        for (int round = 0; round < 4; round++) {
            long start = System.nanoTime();
            long opening = 0;
            for (int i = 0; i < FILES; i++) {
                long openStart = System.nanoTime();
                BulkWriter<T> writer = factory.create(new MemoryStream(), PartFileContext.UNKNOWN);
                writer.addElement(record.apply(i));
                opening += System.nanoTime() - openStart;
                writer.flush();
                writer.finish();
            }
            double micros = opening / 1_000.0 / FILES;
            System.out.printf("%s round %d: open and first record %.1f us, with finish %.1f us%n",
                    factory.getClass().getSimpleName(), round, micros, (System.nanoTime() - start) / 1_000.0 / FILES);
            if (round > 0) {
                best = Math.min(best, micros);
            }
        }
        return best;
    }

    private static final class MemoryStream extends FSDataOutputStream {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        @Override
        public long getPos() {
            return bytes.size();
        }

        @Override
        public void write(int b) {
            bytes.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            bytes.write(b, off, len);
        }

        @Override
        public void flush() {}

        @Override
        public void sync() {}

        @Override
        public void close() {}
    }
}
