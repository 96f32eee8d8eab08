package dev.filesink.partitioning;

import dev.filesink.bucketassigners.partitioning.FieldAccess;
import dev.filesink.bucketassigners.partitioning.FieldExtractors;
import dev.filesink.bucketassigners.partitioning.FieldPartitionBucketAssigner;
import dev.filesink.bucketassigners.partitioning.InvalidPartitionValueException;
import dev.filesink.bucketassigners.partitioning.PathStyle;
import dev.filesink.bucketassigners.partitioning.TimeSource;

import org.apache.flink.types.Row;
import org.apache.flink.util.InstantiationUtil;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FieldPartitionBucketAssignerTest {

    private static final long NOV_22_0715_UTC = Instant.parse("2026-11-22T07:15:30.250Z").toEpochMilli();

    @Test
    void buildsHivePathsFromPojoFieldsAndEventTime() throws Exception {
        FieldPartitionBucketAssigner<Order> assigner = FieldPartitionBucketAssigner.forPojos(Order.class)
                .field("country")
                .timeField("dt", "yyyy-MM-dd", "createdAt")
                .timeField("hour", "HH", "createdAt")
                .build();

        assertThat(assigner.getBucketId(new Order("DE", NOV_22_0715_UTC), TestContext.none()))
                .isEqualTo("country=DE/dt=2026-11-22/hour=07");
        assertThat(assigner.keys()).containsExactly("country", "dt", "hour");
        assertThat(assigner.getSerializer().deserialize(1, assigner.getSerializer().serialize("country=DE")))
                .isEqualTo("country=DE");
    }

    @Test
    void buildsValuesOnlyPaths() {
        FieldPartitionBucketAssigner<Order> assigner = FieldPartitionBucketAssigner.forPojos(Order.class)
                .field("country")
                .timeField("dt", "yyyy-MM-dd", "createdAt")
                .valuesOnly()
                .build();

        assertThat(assigner.pathStyle()).isEqualTo(PathStyle.VALUES_ONLY);
        assertThat(assigner.getBucketId(new Order("DE", NOV_22_0715_UTC), TestContext.none()))
                .isEqualTo("DE/2026-11-22");
    }

    @Test
    void nullAndEmptyValuesGoToTheDefaultPartition() {
        FieldPartitionBucketAssigner<Order> hive = FieldPartitionBucketAssigner.forPojos(Order.class)
                .field("country")
                .build();
        assertThat(hive.getBucketId(new Order(null, 0), TestContext.none()))
                .isEqualTo("country=__HIVE_DEFAULT_PARTITION__");
        assertThat(hive.getBucketId(new Order("", 0), TestContext.none()))
                .isEqualTo("country=__HIVE_DEFAULT_PARTITION__");
        assertThat(hive.partitionValues("country=__HIVE_DEFAULT_PARTITION__")).containsEntry("country", null);

        FieldPartitionBucketAssigner<Order> custom = FieldPartitionBucketAssigner.forPojos(Order.class)
                .field("country")
                .withDefaultPartitionName("unknown")
                .valuesOnly()
                .build();
        assertThat(custom.getBucketId(new Order(null, 0), TestContext.none())).isEqualTo("unknown");
    }

    @Test
    void valuesOnlyPathsDoNotUseAHiddenDefaultName() {
        FieldPartitionBucketAssigner<Order> assigner = FieldPartitionBucketAssigner.forPojos(Order.class)
                .field("country")
                .valuesOnly()
                .build();
        assertThat(assigner.getBucketId(new Order(null, 0), TestContext.none()))
                .isEqualTo(FieldPartitionBucketAssigner.VALUES_ONLY_DEFAULT_PARTITION_NAME);

        assertThatThrownBy(() -> FieldPartitionBucketAssigner.forPojos(Order.class)
                        .field("country")
                        .valuesOnly()
                        .withDefaultPartitionName("_none")
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'_none'")
                .hasMessageContaining("hides");
    }

    @Test
    void readsRowsByNameAndPosition() {
        Row named = Row.withNames();
        named.setField("country", "FR");
        named.setField("day", LocalDate.of(2026, 1, 2));
        FieldPartitionBucketAssigner<Row> byName = FieldPartitionBucketAssigner.forRows()
                .field("country")
                .timeField("dt", "yyyyMMdd", "day")
                .build();
        assertThat(byName.getBucketId(named, TestContext.none())).isEqualTo("country=FR/dt=20260102");

        FieldPartitionBucketAssigner<Row> byPosition = FieldPartitionBucketAssigner.forRows()
                .field("country", FieldExtractors.row(1))
                .build();
        assertThat(byPosition.getBucketId(Row.of(7, "IT"), TestContext.none())).isEqualTo("country=IT");

        assertThatThrownBy(() -> byName.getBucketId(Row.of("FR", LocalDate.now()), TestContext.none()))
                .isInstanceOf(InvalidPartitionValueException.class)
                .hasMessageContaining("Partition field 'country'")
                .hasMessageContaining("row['country']");
        assertThatThrownBy(() -> byPosition.getBucketId(Row.of(7), TestContext.none()))
                .isInstanceOf(InvalidPartitionValueException.class)
                .hasMessageContaining("position 1")
                .hasMessageContaining("1 fields");
    }

    @Test
    void readsMapsAndPluggedInRecordTypes() {
        FieldPartitionBucketAssigner<Map<String, Object>> maps = FieldPartitionBucketAssigner.<Map<String, Object>>forMaps()
                .field("tenant")
                .field("region")
                .build();
        Map<String, Object> record = new HashMap<>();
        record.put("tenant", 42L);
        assertThat(maps.getBucketId(record, TestContext.none()))
                .isEqualTo("tenant=42/region=__HIVE_DEFAULT_PARTITION__");

        // The shape of an Avro GenericRecord: get(String), values that are CharSequences but not Strings.
        FieldAccess<GenericLike> avroStyle = name -> r -> r.get(name);
        FieldPartitionBucketAssigner<GenericLike> generic = FieldPartitionBucketAssigner.forRecords(avroStyle)
                .field("country")
                .timeField("dt", "yyyy-MM-dd", "ts")
                .build();
        GenericLike avro = new GenericLike(Map.of("country", new StringBuilder("PL"), "ts", NOV_22_0715_UTC));
        assertThat(generic.getBucketId(avro, TestContext.none())).isEqualTo("country=PL/dt=2026-11-22");
    }

    @Test
    void readsPojoGettersFieldsAndJavaRecords() {
        Order order = new Order("DE", 0).withPriority(true).withInternalCode("X1");
        order.channel = "web";
        FieldPartitionBucketAssigner<Order> assigner = FieldPartitionBucketAssigner.forPojos(Order.class)
                .field("priority")
                .field("channel")
                .field("internalCode")
                .build();
        assertThat(assigner.getBucketId(order, TestContext.none()))
                .isEqualTo("priority=true/channel=web/internalCode=X1");
        assertThat(assigner.getBucketId(new Order.ExpressOrder("AT", 0), TestContext.none()))
                .isEqualTo("priority=false/channel=__HIVE_DEFAULT_PARTITION__/internalCode=__HIVE_DEFAULT_PARTITION__");

        FieldPartitionBucketAssigner<Click> clicks = FieldPartitionBucketAssigner.forPojos(Click.class)
                .field("page")
                .timeField("hour", "yyyy-MM-dd-HH", "at")
                .build();
        assertThat(clicks.getBucketId(new Click("home", Instant.ofEpochMilli(NOV_22_0715_UTC)), TestContext.none()))
                .isEqualTo("page=home/hour=2026-11-22-07");
    }

    @Test
    void unknownFieldsFailWhenTheJobIsBuilt() {
        assertThatThrownBy(() -> FieldPartitionBucketAssigner.forPojos(Order.class).field("contry"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Partition field 'contry'")
                .hasMessageContaining("has no property 'contry'");
        assertThatThrownBy(() -> FieldPartitionBucketAssigner.<Order>builder().field("country"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no FieldAccess");
    }

    @Test
    void formatsEventTimeOfEveryTypeInTheConfiguredZone() {
        FieldPartitionBucketAssigner<Map<String, Object>> berlin = FieldPartitionBucketAssigner.<Map<String, Object>>forMaps()
                .timeField("hour", "yyyy-MM-dd'T'HH", "t")
                .withZone(ZoneId.of("Europe/Berlin"))
                .build();
        Instant instant = Instant.ofEpochMilli(NOV_22_0715_UTC);
        assertThat(berlin.getBucketId(Map.of("t", NOV_22_0715_UTC), TestContext.none())).isEqualTo("hour=2026-11-22T08");
        assertThat(berlin.getBucketId(Map.of("t", instant), TestContext.none())).isEqualTo("hour=2026-11-22T08");
        assertThat(berlin.getBucketId(Map.of("t", java.sql.Timestamp.from(instant)), TestContext.none()))
                .isEqualTo("hour=2026-11-22T08");
        assertThat(berlin.getBucketId(Map.of("t", ZonedDateTime.ofInstant(instant, ZoneId.of("Asia/Tokyo"))),
                TestContext.none())).isEqualTo("hour=2026-11-22T08");
        // Zone-less times are formatted as they are.
        assertThat(berlin.getBucketId(Map.of("t", LocalDateTime.of(2026, 11, 22, 7, 0)), TestContext.none()))
                .isEqualTo("hour=2026-11-22T07");

        assertThatThrownBy(() -> berlin.getBucketId(Map.of("t", LocalDate.of(2026, 11, 22)), TestContext.none()))
                .isInstanceOf(InvalidPartitionValueException.class)
                .hasMessageContaining("Partition field 'hour'")
                .hasMessageContaining("cannot format the LocalDate");
        assertThatThrownBy(() -> berlin.getBucketId(Map.of("t", 12), TestContext.none()))
                .isInstanceOf(InvalidPartitionValueException.class)
                .hasMessageContaining("Partition field 'hour'")
                .hasMessageContaining("java.lang.Integer");
    }

    @Test
    void formatsRecordTimestampsAndProcessingTime() {
        FieldPartitionBucketAssigner<String> assigner = FieldPartitionBucketAssigner.<String>builder()
                .timeField("dt", "yyyy-MM-dd", TimeSource.recordTimestamp())
                .timeField("arrived", "HH-mm", TimeSource.processingTime())
                .build();
        long arrival = Instant.parse("2026-11-23T10:42:00Z").toEpochMilli();
        assertThat(assigner.getBucketId("x", new TestContext(arrival, NOV_22_0715_UTC)))
                .isEqualTo("dt=2026-11-22/arrived=10-42");

        assertThatThrownBy(() -> assigner.getBucketId("x", TestContext.processingTime(arrival)))
                .isInstanceOf(InvalidPartitionValueException.class)
                .hasMessageContaining("Partition field 'dt'")
                .hasMessageContaining("no timestamp")
                .hasMessageContaining("WatermarkStrategy");
    }

    @Test
    void cachedDirectoryNamesFollowTheClock() {
        FieldPartitionBucketAssigner<String> minutes = FieldPartitionBucketAssigner.<String>builder()
                .timeField("minute", "HH:mm", TimeSource.processingTime())
                .build();
        FieldPartitionBucketAssigner<String> millis = FieldPartitionBucketAssigner.<String>builder()
                .timeField("at", "ss.SSS", TimeSource.processingTime())
                .build();
        long start = Instant.parse("2026-11-22T07:59:59.000Z").toEpochMilli();
        for (long t = start; t < start + 2_500; t += 7) {
            String expectedMinute = t < start + 1_000 ? "07%3A59" : "08%3A00";
            assertThat(minutes.getBucketId("x", TestContext.processingTime(t))).isEqualTo("minute=" + expectedMinute);
            assertThat(millis.getBucketId("x", TestContext.processingTime(t)))
                    .isEqualTo(String.format("at=%02d.%03d", (t / 1000) % 60, t % 1000));
        }
    }

    @Test
    void reusedMutableValuesAreNotServedFromTheCache() {
        StringBuilder reused = new StringBuilder("DE");
        FieldPartitionBucketAssigner<StringBuilder> assigner = FieldPartitionBucketAssigner.<StringBuilder>builder()
                .field("country", r -> r)
                .build();
        assertThat(assigner.getBucketId(reused, TestContext.none())).isEqualTo("country=DE");
        reused.setLength(0);
        reused.append("FR");
        assertThat(assigner.getBucketId(reused, TestContext.none())).isEqualTo("country=FR");
    }

    @Test
    void overlongValuesFailNamingTheField() {
        FieldPartitionBucketAssigner<Map<String, Object>> assigner = FieldPartitionBucketAssigner.<Map<String, Object>>forMaps()
                .field("country")
                .field("customer")
                .build();
        Map<String, Object> ok = Map.of("country", "DE", "customer", "c".repeat(255 - "customer=".length()));
        assertThat(assigner.getBucketId(ok, TestContext.none())).hasSize("country=DE/customer=".length() + 246);

        Map<String, Object> tooLong = Map.of("country", "DE", "customer", "c".repeat(247));
        assertThatThrownBy(() -> assigner.getBucketId(tooLong, TestContext.none()))
                .isInstanceOf(InvalidPartitionValueException.class)
                .hasMessageContaining("Partition field 'customer'")
                .hasMessageContaining("256 bytes")
                .hasMessageContaining("limit of 255 bytes")
                .satisfies(e -> assertThat(((InvalidPartitionValueException) e).partitionKey()).isEqualTo("customer"));

        // Escaping and multi-byte characters count: 100 slashes are 300 bytes, 100 'ü' are 200.
        assertThatThrownBy(() -> assigner.getBucketId(Map.of("customer", "/".repeat(100)), TestContext.none()))
                .isInstanceOf(InvalidPartitionValueException.class)
                .hasMessageContaining("309 bytes");
        assertThat(assigner.getBucketId(Map.of("customer", "ü".repeat(100)), TestContext.none()))
                .endsWith("customer=" + "ü".repeat(100));
        assertThatThrownBy(() -> assigner.getBucketId(Map.of("customer", "日".repeat(100)), TestContext.none()))
                .hasMessageContaining("309 bytes");

        FieldPartitionBucketAssigner<Map<String, Object>> strict = FieldPartitionBucketAssigner.<Map<String, Object>>forMaps()
                .field("country")
                .withDefaultPartitionName("none")
                .withMaxSegmentBytes(12)
                .build();
        assertThat(strict.getBucketId(Map.of("country", "ABCD"), TestContext.none())).isEqualTo("country=ABCD");
        assertThatThrownBy(() -> strict.getBucketId(Map.of("country", "ABCDE"), TestContext.none()))
                .hasMessageContaining("withMaxSegmentBytes");
    }

    @Test
    void rejectsBrokenUnicodeNamingTheField() {
        FieldPartitionBucketAssigner<Map<String, Object>> assigner = FieldPartitionBucketAssigner.<Map<String, Object>>forMaps()
                .field("name")
                .build();
        assertThat(assigner.getBucketId(Map.of("name", "ok\uD83D\uDE00"), TestContext.none())).isEqualTo("name=ok\uD83D\uDE00");
        assertThatThrownBy(() -> assigner.getBucketId(Map.of("name", "ab\uD800"), TestContext.none()))
                .isInstanceOf(InvalidPartitionValueException.class)
                .hasMessageContaining("Partition field 'name'")
                .hasMessageContaining("lone surrogate U+D800 at index 2");
    }

    @Test
    void rejectsValuesThatHaveNoPathForm() {
        FieldPartitionBucketAssigner<Map<String, Object>> assigner = FieldPartitionBucketAssigner.<Map<String, Object>>forMaps()
                .field("blob")
                .build();
        assertThatThrownBy(() -> assigner.getBucketId(Map.of("blob", new byte[] {1, 2}), TestContext.none()))
                .isInstanceOf(InvalidPartitionValueException.class)
                .hasMessageContaining("Partition field 'blob'")
                .hasMessageContaining("binary");
    }

    @Test
    void rejectsBadConfigurationWithClearMessages() {
        assertThatThrownBy(() -> FieldPartitionBucketAssigner.<String>builder().build())
                .hasMessageContaining("at least one partition field");
        for (String key : new String[] {"_hidden", ".dot", "a/b", "a=b", "", "x y"}) {
            assertThatThrownBy(() -> FieldPartitionBucketAssigner.<String>builder().field(key, r -> r).build())
                    .as(key)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("Partition key '" + key + "' is not allowed");
        }
        assertThatThrownBy(() -> FieldPartitionBucketAssigner.<String>builder()
                        .field("a", r -> r).field("a", r -> r).build())
                .hasMessageContaining("'a' is listed twice");
        for (String name : new String[] {"", ".", "..", "a/b", "x:y"}) {
            assertThatThrownBy(() -> FieldPartitionBucketAssigner.<String>builder()
                            .field("a", r -> r).withDefaultPartitionName(name).build())
                    .as(name)
                    .hasMessageContaining("Default partition name");
        }
        assertThatThrownBy(() -> FieldPartitionBucketAssigner.<String>builder()
                        .field("country", r -> r).withMaxSegmentBytes(20).build())
                .isInstanceOf(InvalidPartitionValueException.class)
                .hasMessageContaining("default partition name");
        assertThatThrownBy(() -> FieldPartitionBucketAssigner.<String>builder()
                        .timeField("dt", "yyyy-MM-dd bbb", TimeSource.processingTime()).build())
                .hasMessageContaining("Partition field 'dt'")
                .hasMessageContaining("not a valid date-time pattern");
    }

    @Test
    void survivesJavaSerializationAsFlinkShipsIt() throws Exception {
        FieldPartitionBucketAssigner<Order> assigner = FieldPartitionBucketAssigner.forPojos(Order.class)
                .field("country")
                .timeField("dt", "yyyy-MM-dd", "createdAt")
                .build();
        assigner.getBucketId(new Order("DE", NOV_22_0715_UTC), TestContext.none());
        FieldPartitionBucketAssigner<Order> copy = InstantiationUtil.clone(assigner);
        assertThat(copy.getBucketId(new Order("a/b", NOV_22_0715_UTC), TestContext.none()))
                .isEqualTo("country=a%2Fb/dt=2026-11-22");
        assertThat(copy.toString()).contains("country", "dt", "yyyy-MM-dd");
    }

    /** A Java record: its accessors have no get prefix. */
    public record Click(String page, Instant at) {}

    /** Stands in for Avro's GenericRecord. */
    public static final class GenericLike {
        private final Map<String, Object> values;

        GenericLike(Map<String, Object> values) {
            this.values = values;
        }

        public Object get(String name) {
            return values.get(name);
        }
    }

    static int utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
