package dev.filesink.testing.partitioncommit;

import dev.filesink.bucketassigners.StringBucketIdSerializer;
import dev.filesink.testing.TestRecords;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.datastream.DataStreamSource;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.filesystem.BucketAssigner;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Test records with event times: record {@code id} happens at {@link #BASE} plus {@code id} times a step, with
 * watermarks from those timestamps; bucketed by hour as {@code dt=yyyy-MM-dd/hour=HH} (UTC).
 */
public final class EventTimeRecords {

    public static final Instant BASE = Instant.parse("2026-12-04T00:00:00Z");
    /** The pattern and formatter that read the buckets' times back. */
    public static final String PATTERN = "$dt $hour:00:00";
    public static final String FORMATTER = "yyyy-MM-dd HH:mm:ss";

    private EventTimeRecords() {}

    public static long timestampOf(long id, long stepMillis) {
        return BASE.toEpochMilli() + id * stepMillis;
    }

    /** The bucket of the tail records, which is never complete while the job runs. */
    public static final String TAIL_PARTITION = "dt=2028-01-08/hour=00";
    private static final long TAIL_TIME = Instant.parse("2028-01-08T00:00:00Z").toEpochMilli();

    /** Records 0..count-1, at most {@code perSecond} per second, timestamped and watermarked. */
    public static DataStreamSource<String> source(
            StreamExecutionEnvironment env, long count, double perSecond, long stepMillis) {
        return source(env, count, 0, perSecond, stepMillis);
    }

    /**
     * Records 0..count-1, then {@code tail} records (ids from count on) far in the future, in {@link #TAIL_PARTITION}.
     * A bounded STREAMING job needs them: Flink sends the commits of the final checkpoint (after the input ended) to
     * no post-commit stage, so only partitions that the watermarks close while the job still runs are announced. With
     * the records split evenly between two source subtasks, the second reads only tail records when
     * {@code tail >= count}, and the first reads {@code tail - count / 2}... see the callers.
     */
    public static DataStreamSource<String> source(
            StreamExecutionEnvironment env, long count, long tail, double perSecond, long stepMillis) {
        RateLimiterStrategy<?> rate = perSecond > 0 ? RateLimiterStrategy.perSecond(perSecond) : RateLimiterStrategy.noOp();
        DataGeneratorSource<String> source =
                new DataGeneratorSource<>(TestRecords::record, count + tail, rate, Types.STRING);
        WatermarkStrategy<String> watermarks = WatermarkStrategy.<String>forMonotonousTimestamps()
                .withTimestampAssigner((record, previous) -> {
                    long id = TestRecords.idOf(record);
                    return id < count ? timestampOf(id, stepMillis) : TAIL_TIME;
                });
        return env.fromSource(source, watermarks, "event-time-records");
    }

    /** How many hour partitions records 0..count-1 fall into. */
    public static long partitions(long count, long stepMillis) {
        return (timestampOf(count - 1, stepMillis) - BASE.toEpochMilli()) / 3_600_000 + 1;
    }

    /** Buckets by the record's event time: {@code dt=yyyy-MM-dd/hour=HH}, UTC. */
    public static final class HourAssigner implements BucketAssigner<String, String> {

        private static final long serialVersionUID = 1L;
        private static final DateTimeFormatter FORMAT =
                DateTimeFormatter.ofPattern("'dt='yyyy-MM-dd'/hour='HH").withZone(ZoneOffset.UTC);

        @Override
        public String getBucketId(String element, Context context) {
            return FORMAT.format(Instant.ofEpochMilli(context.timestamp()));
        }

        @Override
        public SimpleVersionedSerializer<String> getSerializer() {
            return StringBucketIdSerializer.INSTANCE;
        }
    }
}
