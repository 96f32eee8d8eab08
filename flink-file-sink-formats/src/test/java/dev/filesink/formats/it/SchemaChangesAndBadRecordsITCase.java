package dev.filesink.formats.it;

import dev.filesink.FileSink;
import dev.filesink.formats.Formats;
import dev.filesink.formats.compression.Compression;
import dev.filesink.formats.parquet.ParquetCodec;
import dev.filesink.formats.testing.CollectingReporter;
import dev.filesink.formats.testing.ExactlyOnce;
import dev.filesink.formats.testing.Order;
import dev.filesink.formats.testing.Orders;
import dev.filesink.formats.testing.Readers;
import dev.filesink.testing.Jobs;

import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MetricOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.util.ExceptionUtils;
import org.apache.flink.util.function.SerializableFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Schema changes roll Avro and Parquet part files; bad records fail the job by name, or are skipped and counted. The
 * format's sink builder and the core builder with the format's factory behave the same.
 */
class SchemaChangesAndBadRecordsITCase {

    /** The order schema plus a field with a default: files of V2 can take V1 records without loss. */
    private static final Schema V2 = SchemaBuilder.record("Order").namespace("dev.filesink.test").fields()
            .requiredLong("id")
            .requiredString("name")
            .requiredDouble("amount")
            .optionalString("note")
            .name("channel").type().stringType().stringDefault("web")
            .endRecord();

    private static final long COUNT = 2_000;
    /** Records come in runs of one schema: ids 0-99 V1, 100-199 V2, ... */
    private static final int RUN = 100;

    @TempDir java.nio.file.Path out;

    @Test
    void aSchemaChangeRollsToANewPartFileForParquetAndAvro() throws Exception {
        runBatch(ids -> {
            addSink(ids, Formats.parquet(Orders.SCHEMA).withCompression(ParquetCodec.SNAPPY).sink(path("parquet")));
            addSink(ids, Formats.avro(Orders.SCHEMA).sink(path("avro")));
            addSink(ids, Formats.parquet(Orders.SCHEMA).withCompatibleSchemas().sink(path("parquet-compatible")));
            addSink(ids, Formats.avro(Orders.SCHEMA).withCompatibleSchemas().sink(path("avro-compatible")));
            // The core builder with the format's factory rolls the same: the format asks the sink for it.
            addSink(ids, FileSink.forBulkFormat(path("avro-core"), Formats.avro(Orders.SCHEMA).writerFactory())
                    .withOutputFileConfig(OutputFileConfig.builder().withPartSuffix(".avro").build())
                    .withBucketAssigner(new dev.filesink.bucketassigners.BasePathBucketAssigner<>())
                    .build());
        }, 1);

        for (String name : List.of("parquet", "avro", "avro-core")) {
            String format = name.startsWith("parquet") ? "parquet" : "avro";
            List<java.nio.file.Path> files = ExactlyOnce.finishedFiles(out.resolve(name), "." + format);
            assertThat(files).as("one part file per run of one schema").hasSize((int) (COUNT / RUN));
            List<Order> orders = new ArrayList<>();
            for (java.nio.file.Path file : files) {
                List<GenericRecord> records = read(format, file);
                Set<String> schemas = new HashSet<>();
                for (GenericRecord record : records) {
                    schemas.add(record.getSchema().getField("channel") == null ? "v1" : "v2");
                    orders.add(Orders.fromAvro(record));
                    if (record.getSchema().getField("channel") != null) {
                        assertThat(record.get("channel").toString()).isEqualTo("app");
                    }
                }
                assertThat(schemas).as("one schema per part file %s", file).hasSize(1);
            }
            ExactlyOnce.assertOrders(orders, COUNT, name);
        }

        for (String name : List.of("parquet-compatible", "avro-compatible")) {
            String suffix = name.startsWith("parquet") ? ".parquet" : ".avro";
            List<java.nio.file.Path> files = ExactlyOnce.finishedFiles(out.resolve(name), suffix);
            // V1 (first run) rolls to V2 once; V1 records after that fit the V2 file (their channel becomes "web").
            assertThat(files).as("V1 records go into the open V2 file").hasSize(2);
            List<Order> orders = new ArrayList<>();
            for (java.nio.file.Path file : files) {
                for (GenericRecord record : read(suffix.substring(1), file)) {
                    Order order = Orders.fromAvro(record);
                    orders.add(order);
                    if (record.getSchema().getField("channel") != null) {
                        assertThat(record.get("channel").toString())
                                .isEqualTo((order.id / RUN) % 2 == 1 ? "app" : "web");
                    }
                }
            }
            ExactlyOnce.assertOrders(orders, COUNT, name);
        }
    }

    @Test
    void skippedBadRecordsAreCountedAndLeaveNothingBehind() throws Exception {
        CollectingReporter.clear();
        Configuration conf = Jobs.restarting();
        conf.setString("metrics.reporter.collect.factory.class", CollectingReporter.class.getName());
        conf.set(MetricOptions.REPORTER_INTERVAL, java.time.Duration.ofMillis(100));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        env.setParallelism(2);
        env.getConfig().enableObjectReuse();
        DataStream<Long> ids = ids(env);
        // Every tenth order has a null name, which the schemas forbid; CSV's extractor fails on them too.
        SerializableFunction<Long, GenericRecord> generic = id -> {
            GenericRecord record = Orders.generic(id);
            if (id % 10 == 3) {
                record.put("name", null);
            }
            return record;
        };
        ids.map(generic::apply).returns(TypeInformation.of(GenericRecord.class))
                .sinkTo(Formats.parquet(Orders.SCHEMA).skipBadRecords().sink(path("parquet")).build());
        ids.map(generic::apply).returns(TypeInformation.of(GenericRecord.class))
                .sinkTo(Formats.avro(Orders.SCHEMA).skipBadRecords(0).sink(path("avro")).build());
        ids.map(generic::apply).returns(TypeInformation.of(GenericRecord.class))
                .sinkTo(Formats.<GenericRecord>jsonLinesOfAvro().withCompression(Compression.GZIP).skipBadRecords()
                        .sink(path("json")).build());
        // The core builder with the format's factory counts skipped records in the same metric.
        ids.map(generic::apply).returns(TypeInformation.of(GenericRecord.class))
                .sinkTo(FileSink.forBulkFormat(path("avro-core"), Formats.avro(Orders.SCHEMA).skipBadRecords()
                        .writerFactory()).build());
        env.execute("skip bad records");

        long expected = COUNT - COUNT / 10;
        for (String name : List.of("parquet", "avro", "json", "avro-core")) {
            List<Order> orders = new ArrayList<>();
            for (java.nio.file.Path file : ExactlyOnce.finishedFiles(out.resolve(name), "")) {
                if (name.equals("json")) {
                    String text = new String(dev.filesink.formats.testing.Decompress.file(file), StandardCharsets.UTF_8);
                    for (String line : text.split("\n")) {
                        orders.add(new com.fasterxml.jackson.databind.ObjectMapper().readValue(line, Order.class));
                    }
                } else {
                    read(name, file).forEach(record -> orders.add(Orders.fromAvro(record)));
                }
            }
            assertThat(orders).as(name).hasSize((int) expected);
            assertThat(orders).as(name).allSatisfy(order -> {
                assertThat(order.id % 10).isNotEqualTo(3);
                assertThat(order).isEqualTo(Order.of(order.id));
            });
        }
        assertThat(CollectingReporter.sum("fileSink.recordsSkipped")).as("skipped records over all sinks")
                .isEqualTo(4 * COUNT / 10);
    }

    @Test
    void aBadRecordFailsTheJobNamingTheFieldTheBucketAndThePartFile() {
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        env.setParallelism(1);
        env.getConfig().enableObjectReuse();
        ids(env).map(id -> {
                    GenericRecord record = Orders.generic(id);
                    if (id == 42) {
                        record.put("amount", "not a number");
                    }
                    return record;
                }).returns(TypeInformation.of(GenericRecord.class))
                .sinkTo(Formats.parquet(Orders.SCHEMA).sink(path("parquet"))
                        .withBucketAssigner(new dev.filesink.bucketassigners.BasePathBucketAssigner<>())
                        .build());

        assertThatThrownBy(() -> env.execute("fail on a bad record"))
                .satisfies(e -> assertThat(ExceptionUtils.stringifyException(e))
                        .contains("field 'amount'")
                        .contains("java.lang.String")
                        .contains("of bucket ''")
                        .containsPattern("part file '[^']*part-[0-9a-f-]+-\\d+\\.parquet'"));
        assertThat(dev.filesink.testing.FinishedFiles.visible(out.resolve("parquet")))
                .as("no finished file holds a half-written record").isEmpty();
    }

    private Path path(String name) {
        return new Path(out.resolve(name).toUri());
    }

    /** Orders in runs of one schema; V2 records say channel "app". */
    private static GenericRecord versioned(long id) {
        GenericRecord v1 = Orders.generic(id);
        if ((id / RUN) % 2 == 0) {
            return v1;
        }
        GenericRecord v2 = new GenericData.Record(V2);
        for (Schema.Field field : Orders.SCHEMA.getFields()) {
            v2.put(field.name(), v1.get(field.name()));
        }
        v2.put("channel", "app");
        return v2;
    }

    private static void addSink(DataStream<Long> ids, FileSink.BucketsBuilder<GenericRecord, ?> sink) {
        addSink(ids, sink.withBucketAssigner(new dev.filesink.bucketassigners.BasePathBucketAssigner<>()).build());
    }

    private static void addSink(DataStream<Long> ids, FileSink<GenericRecord> sink) {
        ids.map(SchemaChangesAndBadRecordsITCase::versioned).returns(TypeInformation.of(GenericRecord.class))
                .sinkTo(sink);
    }

    private static List<GenericRecord> read(String format, java.nio.file.Path file) {
        return format.equals("parquet") ? Readers.parquet(file) : Readers.avro(file);
    }

    private void runBatch(java.util.function.Consumer<DataStream<Long>> sinks, int parallelism) throws Exception {
        StreamExecutionEnvironment env = Jobs.batch(parallelism);
        env.getConfig().enableObjectReuse();
        sinks.accept(ids(env));
        env.execute("schema changes");
    }

    private static DataStream<Long> ids(StreamExecutionEnvironment env) {
        return env.fromSource(new DataGeneratorSource<>(index -> index, COUNT, RateLimiterStrategy.noOp(), Types.LONG),
                WatermarkStrategy.noWatermarks(), "ids");
    }
}
