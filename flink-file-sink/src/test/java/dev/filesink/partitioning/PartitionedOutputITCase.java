package dev.filesink.partitioning;

import dev.filesink.FileSink;
import dev.filesink.bucketassigners.partitioning.FieldPartitionBucketAssigner;
import dev.filesink.bucketassigners.partitioning.InvalidPartitionValueException;
import dev.filesink.bucketassigners.partitioning.PathStyle;
import dev.filesink.rollingpolicies.DefaultRollingPolicy;
import dev.filesink.testing.FailureInjector;
import dev.filesink.testing.FinishedFiles;
import dev.filesink.testing.Jobs;
import dev.filesink.testing.TestRecords;
import dev.filesink.testing.VisibleOutputWatcher;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.serialization.Encoder;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.ExceptionUtils;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Partitioned output through a MiniCluster: records with hostile partition values, failures and restarts; every
 * record exactly once, in the directory its own fields name, and nothing outside the base path.
 */
class PartitionedOutputITCase {

    /** Country values, record {@code id} has {@code COUNTRIES[id % size]}. */
    static final String[] COUNTRIES = {
        "DE", "../../escape", "/etc/passwd", "a/b", "x:y", "..", ".", "", null, "%2F", "k=v", "C:\\win", "nul\u0000",
        "line\nbreak", "ünïcödé", "_hidden", ".hidden", "hdfs://host:8020/x", "*?[]{}^#", "__HIVE_DEFAULT_PARTITION__",
        "HIVE_DEFAULT_PARTITION"
    };

    static final long START = Instant.parse("2026-11-22T21:00:00Z").toEpochMilli();

    @TempDir java.nio.file.Path root;

    @Test
    void streamingWithFailuresPutsEveryRecordOnceIntoItsHivePartition() throws Exception {
        java.nio.file.Path base = root.resolve("table");
        long count = 8_000;
        FieldPartitionBucketAssigner<Event> partitions = FieldPartitionBucketAssigner.forPojos(Event.class)
                .field("country")
                .timeField("dt", "yyyy-MM-dd", "eventTime")
                .timeField("hour", "HH", "eventTime")
                .build();

        StreamExecutionEnvironment env = Jobs.streaming(2, 200);
        FailureInjector<String> failures = FailureInjector.plan().atRecord(1_200).afterCheckpointComplete(2).build();
        Jobs.records(env, count, 4_000)
                .map(failures)
                .map(Event::of)
                .sinkTo(FileSink.forRowFormat(new Path(base.toUri()), new EventEncoder())
                        .withBucketAssigner(partitions)
                        .withRollingPolicy(DefaultRollingPolicy.builder()
                                .withRolloverInterval(Duration.ofMillis(500))
                                .build())
                        .withBucketCheckInterval(100)
                        .build());

        try (VisibleOutputWatcher watcher = VisibleOutputWatcher.ofFolder(base)) {
            env.execute("partitioned streaming with failures");
            assertThat(failures.fired()).as("injected failures that fired").isEqualTo(failures.planned());
            assertThat(watcher.violations()).isEmpty();
        }

        FinishedFiles.assertExactlyOnce(base, count);
        assertEveryRecordInItsPartition(base, partitions, count);
        assertNothingOutside(base);
    }

    @Test
    void batchWritesValuesOnlyPartitions() throws Exception {
        java.nio.file.Path base = root.resolve("values-only");
        long count = 5_000;
        FieldPartitionBucketAssigner<Event> partitions = FieldPartitionBucketAssigner.forPojos(Event.class)
                .field("country")
                .timeField("dt", "yyyy-MM-dd", "eventTime")
                .valuesOnly()
                .build();

        StreamExecutionEnvironment env = Jobs.batch(2);
        FailureInjector<String> failures = FailureInjector.plan().onAnySubtask().atRecord(2_000).build();
        Jobs.records(env, count, 0)
                .map(failures)
                .map(Event::of)
                .sinkTo(FileSink.forRowFormat(new Path(base.toUri()), new EventEncoder())
                        .withBucketAssigner(partitions)
                        .build());
        env.execute("partitioned batch, values only");
        assertThat(failures.fired()).as("injected failures that fired").isEqualTo(failures.planned());

        FinishedFiles.assertExactlyOnce(base, count);
        assertEveryRecordInItsPartition(base, partitions, count);
        assertNothingOutside(base);
    }

    @Test
    void anOverlongValueFailsTheJobNamingTheField() {
        java.nio.file.Path base = root.resolve("overlong");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(new Configuration());
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        env.setParallelism(1);
        Jobs.records(env, 100, 0)
                .map(line -> {
                    Event event = Event.of(line);
                    if (event.id == 42) {
                        event.country = "x".repeat(300);
                    }
                    return event;
                })
                .sinkTo(FileSink.forRowFormat(new Path(base.toUri()), new EventEncoder())
                        .withBucketAssigner(FieldPartitionBucketAssigner.forPojos(Event.class).field("country").build())
                        .build());

        assertThatThrownBy(() -> env.execute("overlong partition value"))
                .satisfies(e -> assertThat(ExceptionUtils.findThrowable(e, InvalidPartitionValueException.class))
                        .hasValueSatisfying(cause -> assertThat(cause)
                                .hasMessageContaining("Partition field 'country'")
                                .hasMessageContaining("308 bytes")));
        assertThat(FinishedFiles.visible(base)).isEmpty();
    }

    private static void assertEveryRecordInItsPartition(
            java.nio.file.Path base, FieldPartitionBucketAssigner<Event> partitions, long count) throws IOException {
        Set<String> partitionsSeen = new HashSet<>();
        Set<String> partitionsExpected = new HashSet<>();
        for (long id = 0; id < count; id++) {
            partitionsExpected.add(expectedValues(Event.of(TestRecords.record(id)), partitions).toString());
        }
        for (java.nio.file.Path file : FinishedFiles.visible(base)) {
            String bucket = base.relativize(file.getParent()).toString().replace(java.io.File.separatorChar, '/');
            Map<String, String> values = partitions.partitionValues(bucket);
            partitionsSeen.add(values.toString());
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                Event event = Event.of(line);
                assertThat(values).as("partition of record %d in %s", event.id, bucket)
                        .isEqualTo(expectedValues(event, partitions));
            }
        }
        assertThat(partitionsSeen).isEqualTo(partitionsExpected);
    }

    /** What the directories must say, computed independently of the assigner. */
    private static Map<String, String> expectedValues(Event event, FieldPartitionBucketAssigner<Event> partitions) {
        // A value that equals the default partition's name reads back as null, as in Hive.
        String defaultName = partitions.pathStyle() == PathStyle.HIVE
                ? FieldPartitionBucketAssigner.DEFAULT_PARTITION_NAME
                : FieldPartitionBucketAssigner.VALUES_ONLY_DEFAULT_PARTITION_NAME;
        String country = event.country == null || event.country.isEmpty() || event.country.equals(defaultName)
                ? null : event.country;
        Instant time = Instant.ofEpochMilli(event.eventTime);
        Map<String, String> all = new java.util.HashMap<>();
        all.put("country", country);
        all.put("dt", DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC).format(time));
        all.put("hour", DateTimeFormatter.ofPattern("HH").withZone(ZoneOffset.UTC).format(time));
        Map<String, String> expected = new java.util.LinkedHashMap<>();
        partitions.keys().forEach(key -> expected.put(key, all.get(key)));
        return expected;
    }

    private void assertNothingOutside(java.nio.file.Path base) throws IOException {
        try (Stream<java.nio.file.Path> all = Files.walk(root)) {
            assertThat(all.filter(Files::isRegularFile).filter(file -> !file.startsWith(base)).toList())
                    .as("files written outside the base path").isEmpty();
        }
        try (Stream<java.nio.file.Path> top = Files.list(root)) {
            assertThat(top.toList()).containsExactly(base);
        }
    }

    /** A Flink POJO with a hostile country and an event time. */
    public static class Event {
        public long id;
        public String country;
        public long eventTime;

        public Event() {}

        static Event of(String line) {
            Event event = new Event();
            event.id = TestRecords.idOf(line);
            event.country = COUNTRIES[(int) (event.id % COUNTRIES.length)];
            event.eventTime = START + event.id * 37_000;
            return event;
        }
    }

    /** Writes the test record the event was made from, one per line. */
    static final class EventEncoder implements Encoder<Event> {
        private static final long serialVersionUID = 1L;

        @Override
        public void encode(Event event, OutputStream out) {
            try {
                out.write(TestRecords.record(event.id).getBytes(StandardCharsets.UTF_8));
                out.write('\n');
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
