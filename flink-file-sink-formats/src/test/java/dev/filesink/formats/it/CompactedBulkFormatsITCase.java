package dev.filesink.formats.it;

import dev.filesink.FileSink;
import dev.filesink.formats.Formats;
import dev.filesink.formats.testing.ExactlyOnce;
import dev.filesink.formats.testing.ModuloAssigner;
import dev.filesink.formats.testing.Order;
import dev.filesink.formats.testing.Orders;
import dev.filesink.formats.testing.Readers;
import dev.filesink.storage.FileSystemStorage;
import dev.filesink.testing.CompactionFailureStorage;
import dev.filesink.testing.CompactionFailureStorage.Step;
import dev.filesink.testing.Jobs;

import org.apache.avro.file.DataFileStream;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.file.sink.compactor.FileCompactStrategy;
import org.apache.flink.connector.file.sink.compactor.RecordWiseFileCompactor;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A bulk format (Avro container files) compacted record-wise through the sink's own writer, with a failure at
 * every compaction step: the compacted files are valid Avro files, every order exactly once.
 */
class CompactedBulkFormatsITCase {

    @TempDir java.nio.file.Path out;

    @Test
    void avroCompactedRecordWiseWithFailures() throws Exception {
        long count = 6_000;
        CompactionFailureStorage storage = new CompactionFailureStorage(
                FileSystemStorage.INSTANCE, Step.DURING_COMPACTION, Step.BEFORE_COMMIT, Step.DURING_INPUT_CLEANUP);
        StreamExecutionEnvironment env = Jobs.streaming(2, 200);
        env.getConfig().enableObjectReuse();
        env.fromSource(new DataGeneratorSource<>(index -> index, count, RateLimiterStrategy.perSecond(1_500), Types.LONG),
                        WatermarkStrategy.noWatermarks(), "ids")
                .map(Orders::generic)
                .returns(TypeInformation.of(GenericRecord.class))
                .sinkTo(FileSink.forBulkFormat(new Path(out.toUri()), Formats.avro(Orders.SCHEMA).writerFactory())
                        .withBucketAssigner(new ModuloAssigner<>(r -> (Long) r.get("id"), 3))
                        .withStorage(storage)
                        .enableCompact(
                                FileCompactStrategy.Builder.newBuilder()
                                        .setSizeThreshold(16 * 1024)
                                        .enableCompactionOnCheckpoint(3)
                                        .build(),
                                new RecordWiseFileCompactor<>(new AvroFiles()))
                        .build());
        env.execute("avro compaction with failures");

        List<Order> orders = new ArrayList<>();
        List<java.nio.file.Path> files = ExactlyOnce.finishedFiles(out, "");
        for (java.nio.file.Path file : files) {
            orders.addAll(Readers.avro(file).stream().map(Orders::fromAvro).toList());
        }
        ExactlyOnce.assertOrders(orders, count, "avro compacted");
        assertThat(files).anySatisfy(file -> assertThat(file.getFileName().toString()).startsWith("compacted-part-"));
        assertThat(storage.fired(Step.DURING_COMPACTION)).isEqualTo(1);
        assertThat(storage.fired(Step.BEFORE_COMMIT)).isEqualTo(1);
        assertThat(storage.fired(Step.DURING_INPUT_CLEANUP)).isEqualTo(1);
    }

    /** Reads Avro container files, as a user would give to Flink's {@code RecordWiseFileCompactor}. */
    private static final class AvroFiles implements RecordWiseFileCompactor.Reader.Factory<GenericRecord> {
        private static final long serialVersionUID = 1L;

        @Override
        public RecordWiseFileCompactor.Reader<GenericRecord> createFor(Path path) throws IOException {
            DataFileStream<GenericRecord> stream =
                    new DataFileStream<>(path.getFileSystem().open(path), new GenericDatumReader<>());
            return new RecordWiseFileCompactor.Reader<>() {
                @Override
                public GenericRecord read() {
                    return stream.hasNext() ? stream.next() : null;
                }

                @Override
                public void close() throws IOException {
                    stream.close();
                }
            };
        }
    }
}
