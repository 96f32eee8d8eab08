package dev.filesink.formats.bulk;

import dev.filesink.formats.Formats;
import dev.filesink.formats.testing.Order;
import dev.filesink.formats.testing.OrderVectorizer;
import dev.filesink.formats.testing.Orders;
import dev.filesink.partfile.PartFileContext;

import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;

import java.util.function.LongFunction;

import static org.assertj.core.api.Assertions.assertThat;

/** Parquet and ORC writers tell the sink's memory budget what they hold before the file is written out. */
class MemoryReportingTest {

    @Test
    void parquetReportsItsBufferedRowGroup() throws Exception {
        assertGrowsAndEmpties(InstantiationUtil.clone(Formats.parquet(Orders.SCHEMA).writerFactory()), Orders::generic);
    }

    @Test
    void orcReportsItsStripeAndRowBatch() throws Exception {
        assertGrowsAndEmpties(InstantiationUtil.clone(Formats.orc(new OrderVectorizer()).writerFactory()), Order::of);
    }

    private static <T> void assertGrowsAndEmpties(FormatWriterFactory<T> factory, LongFunction<T> record)
            throws Exception {
        Discard out = new Discard();
        FormatBulkWriter<T> writer = factory.create(out, PartFileContext.UNKNOWN);
        long before = writer.bufferedBytes();
        for (long id = 0; id < 20_000; id++) {
            writer.addElement(record.apply(id));
        }
        long held = writer.bufferedBytes();
        assertThat(held).as("bytes held after 20,000 records").isGreaterThan(before).isGreaterThan(100_000);
        assertThat(out.getPos()).as("nothing of the row group / stripe written yet").isLessThan(held);
        writer.flush();
        writer.finish();
        assertThat(out.getPos()).as("the file is written at finish").isGreaterThan(10_000);
    }

    private static final class Discard extends FSDataOutputStream {
        private long pos;

        @Override
        public long getPos() {
            return pos;
        }

        @Override
        public void write(int b) {
            pos++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            pos += len;
        }

        @Override
        public void flush() {}

        @Override
        public void sync() {}

        @Override
        public void close() {}
    }
}
