package dev.filesink.formats.it;

import dev.filesink.formats.Formats;
import dev.filesink.formats.compression.Compression;
import dev.filesink.formats.compression.ParallelCompression;
import dev.filesink.formats.row.RowFormat;
import dev.filesink.formats.testing.CsvParser;
import dev.filesink.formats.testing.Decompress;
import dev.filesink.formats.testing.ExactlyOnce;
import dev.filesink.formats.testing.FormatJobs;
import dev.filesink.formats.testing.ModuloAssigner;
import dev.filesink.formats.testing.Order;
import dev.filesink.formats.testing.StandardTools;
import dev.filesink.rollingpolicies.DefaultRollingPolicy;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.api.common.typeinfo.TypeHint;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.util.function.SerializableFunction;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Row formats with compression, written by the sink in one STREAMING job with failures (part files span
 * checkpoints and are resumed from their persisted length: every codec, the formats taking turns) and in one BATCH
 * job with a failure (every format with every codec), compressed in parallel (the default), in parallel with tiny
 * blocks, and inline; every finished file is read back with the standard decompressor (and a few with the command
 * line tools) and compared record by record.
 */
class RowFormatsITCase {

    private static final long STREAMING_COUNT = 3_000;
    private static final long BATCH_COUNT = 6_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    enum Mode { STREAMING, BATCH }

    @TempDir java.nio.file.Path out;

    @ParameterizedTest
    @EnumSource(Mode.class)
    void everyRowFormatWithEveryCompressionIsWrittenExactlyOnce(Mode mode) throws Exception {
        List<Case<?>> all = new ArrayList<>();
        for (Compression codec : Compression.values()) {
            all.add(new Case<>("json-" + codec, Formats.jsonLines(Order.class).withCompression(codec),
                    Order::of, order -> order.id, TypeInformation.of(Order.class), RowFormatsITCase::readJsonLines));
            all.add(new Case<>("csv-" + codec, Formats.csv(Order.class).withCompression(codec),
                    Order::of, order -> order.id, TypeInformation.of(Order.class), RowFormatsITCase::readCsv));
            all.add(new Case<>("text-" + codec,
                    Formats.<Order>text(order -> order.id + "\t" + order.amount).withCompression(codec),
                    Order::of, order -> order.id, TypeInformation.of(Order.class), RowFormatsITCase::readText));
            all.add(new Case<>("bytes-" + codec, Formats.lengthDelimitedBytes().withCompression(codec),
                    RowFormatsITCase::orderBytes, bytes -> ByteBuffer.wrap(bytes).getLong(),
                    TypeInformation.of(new TypeHint<byte[]>() {}), RowFormatsITCase::readLengthDelimited));
        }
        List<Case<?>> cases = new ArrayList<>();
        if (mode == Mode.BATCH) {
            cases.addAll(all);
        } else {
            // Streaming jobs with failures are costly: every codec once, the formats taking turns.
            for (int i = 0; i < Compression.values().length; i++) {
                cases.add(all.get(i * 4 + i % 4));
            }
            cases.add(all.get(Compression.GZIP.ordinal() * 4 + 2));
        }
        // Compression on the task thread (the option), and in parallel with tiny blocks so that many blocks of a
        // part file are in flight at every persist and failure.
        cases.add(new Case<>("json-GZIP-inline",
                Formats.jsonLines(Order.class).withCompression(Compression.GZIP).withInlineCompression(),
                Order::of, order -> order.id, TypeInformation.of(Order.class), RowFormatsITCase::readJsonLines));
        cases.add(new Case<>("csv-GZIP-small-blocks", Formats.csv(Order.class).withCompression(Compression.GZIP)
                .withParallelCompression(ParallelCompression.defaults().withThreads(3).withBlockSize(4096)
                        .withMaxBlocksInFlight(2)),
                Order::of, order -> order.id, TypeInformation.of(Order.class), RowFormatsITCase::readCsv));
        cases.add(new Case<>("raw", Formats.rawBytes().withCompression(Compression.ZSTD),
                id -> ByteBuffer.allocate(16).putLong(id).putDouble(id * 1.5).array(),
                bytes -> ByteBuffer.wrap(bytes).getLong(), TypeInformation.of(new TypeHint<byte[]>() {}),
                RowFormatsITCase::readRaw));

        long count = mode == Mode.STREAMING ? STREAMING_COUNT : BATCH_COUNT;
        Consumer<DataStream<Long>> sinks = ids -> cases.forEach(c -> c.addSink(ids, out, mode));
        if (mode == Mode.STREAMING) {
            FormatJobs.streamingWithFailures(count, sinks);
        } else {
            FormatJobs.batchWithFailure(count, sinks);
        }

        for (Case<?> c : cases) {
            List<Order> orders = new ArrayList<>();
            int checkedWithTools = 0;
            for (java.nio.file.Path file : ExactlyOnce.finishedFiles(out.resolve(c.name), c.format.suffix())) {
                orders.addAll(c.reader.apply(Decompress.file(file)));
                // zcat, zstd, lz4, bzip2 read the files too (a few per case: each is a process).
                if (checkedWithTools < 3 && StandardTools.assertToolReads(file)) {
                    checkedWithTools++;
                }
            }
            ExactlyOnce.assertOrders(orders, count, c.name + " " + mode);
        }
    }

    /** One sink of the job: a format, how ids become its records, and how its files are read back. */
    private record Case<T>(
            String name,
            RowFormat<T, ?> format,
            SerializableFunction<Long, T> record,
            SerializableFunction<T, Long> idOf,
            TypeInformation<T> type,
            Function<byte[], List<Order>> reader) {

        void addSink(DataStream<Long> ids, java.nio.file.Path out, Mode mode) {
            ids.map(record::apply).returns(type)
                    .sinkTo(format.sink(new Path(out.resolve(name).toUri()))
                            .withBucketAssigner(new ModuloAssigner<>(idOf, 3))
                            .withRollingPolicy(DefaultRollingPolicy.builder()
                                    .withMaxPartSize(mode == Mode.STREAMING ? 24 * 1024 : 64 * 1024)
                                    .withRolloverInterval(Duration.ofSeconds(1))
                                    .build())
                            .withBucketCheckInterval(100)
                            .build())
                    .name(name);
        }
    }

    private static List<Order> readJsonLines(byte[] data) {
        List<Order> orders = new ArrayList<>();
        for (String line : new String(data, StandardCharsets.UTF_8).split("\n")) {
            try {
                orders.add(JSON.readValue(line, Order.class));
            } catch (IOException e) {
                throw new UncheckedIOException("not a JSON line: " + line, e);
            }
        }
        return orders;
    }

    private static List<Order> readCsv(byte[] data) {
        List<List<String>> rows = CsvParser.parse(new String(data, StandardCharsets.UTF_8));
        assertThat(rows.get(0)).as("header at the top of the part file").containsExactly("id", "name", "amount", "note");
        List<Order> orders = new ArrayList<>();
        for (List<String> row : rows.subList(1, rows.size())) {
            assertThat(row).as("a data row, not a second header").hasSize(4).doesNotContain("name");
            orders.add(new Order(Long.parseLong(row.get(0)), row.get(1), Double.parseDouble(row.get(2)),
                    row.get(3).isEmpty() ? null : row.get(3)));
        }
        return orders;
    }

    private static List<Order> readText(byte[] data) {
        List<Order> orders = new ArrayList<>();
        for (String line : new String(data, StandardCharsets.UTF_8).split("\n")) {
            String[] parts = line.split("\t");
            long id = Long.parseLong(parts[0]);
            assertThat(Double.parseDouble(parts[1])).isEqualTo(Order.of(id).amount);
            orders.add(Order.of(id));
        }
        return orders;
    }

    private static byte[] orderBytes(long id) {
        byte[] name = Order.of(id).name.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + name.length).putLong(id).put(name).array();
    }

    private static List<Order> readLengthDelimited(byte[] data) {
        List<Order> orders = new ArrayList<>();
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            while (true) {
                int length;
                try {
                    length = in.readInt();
                } catch (EOFException end) {
                    return orders;
                }
                byte[] record = new byte[length];
                in.readFully(record);
                ByteBuffer buffer = ByteBuffer.wrap(record);
                long id = buffer.getLong();
                assertThat(StandardCharsets.UTF_8.decode(buffer).toString()).isEqualTo(Order.of(id).name);
                orders.add(Order.of(id));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Order> readRaw(byte[] data) {
        assertThat(data.length % 16).as("whole 16-byte records").isZero();
        ByteBuffer buffer = ByteBuffer.wrap(data);
        List<Order> orders = new ArrayList<>();
        while (buffer.hasRemaining()) {
            long id = buffer.getLong();
            assertThat(buffer.getDouble()).isEqualTo(id * 1.5);
            orders.add(Order.of(id));
        }
        return orders;
    }
}
