package dev.filesink.bucketassigners;

import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.functions.sink.filesystem.BucketAssigner;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * Buckets records by the processing time at which they arrive, formatted with a pattern (default
 * {@code yyyy-MM-dd--HH}: one directory per hour) in a time zone (default: the system's).
 *
 * <p>The bucket id is formatted once per time window, not once per record: the assigner remembers the window
 * (for the default pattern, the current hour) in which the last id is valid.
 */
public final class DateTimeBucketAssigner<IN> implements BucketAssigner<IN, String> {

    private static final long serialVersionUID = 1L;

    public static final String DEFAULT_FORMAT = "yyyy-MM-dd--HH";

    private final String formatString;
    private final ZoneId zoneId;

    private transient DateTimeFormatter formatter;
    private transient ChronoUnit window;
    private transient long windowStart;
    private transient long windowEnd;
    private transient String cachedBucketId;

    public DateTimeBucketAssigner() {
        this(DEFAULT_FORMAT);
    }

    public DateTimeBucketAssigner(String formatString) {
        this(formatString, ZoneId.systemDefault());
    }

    public DateTimeBucketAssigner(ZoneId zoneId) {
        this(DEFAULT_FORMAT, zoneId);
    }

    public DateTimeBucketAssigner(String formatString, ZoneId zoneId) {
        if (formatString == null || formatString.isEmpty()) {
            throw new IllegalArgumentException("formatString must not be null or empty");
        }
        if (zoneId == null) {
            throw new IllegalArgumentException("zoneId must not be null");
        }
        try {
            DateTimeFormatter.ofPattern(formatString);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("formatString '" + formatString + "' is not a valid date-time pattern: "
                    + e.getMessage(), e);
        }
        this.formatString = formatString;
        this.zoneId = zoneId;
    }

    @Override
    public String getBucketId(IN element, Context context) {
        long time = context.currentProcessingTime();
        if (cachedBucketId != null && time >= windowStart && time < windowEnd) {
            return cachedBucketId;
        }
        return computeBucketId(time);
    }

    private String computeBucketId(long time) {
        if (formatter == null) {
            formatter = DateTimeFormatter.ofPattern(formatString).withZone(zoneId);
            window = PatternResolution.finestUnit(formatString);
        }
        ZonedDateTime start = Instant.ofEpochMilli(time).atZone(zoneId).truncatedTo(window);
        windowStart = start.toInstant().toEpochMilli();
        windowEnd = start.plus(1, window).toInstant().toEpochMilli();
        cachedBucketId = formatter.format(Instant.ofEpochMilli(time));
        return cachedBucketId;
    }

    @Override
    public SimpleVersionedSerializer<String> getSerializer() {
        return StringBucketIdSerializer.INSTANCE;
    }

    @Override
    public String toString() {
        return "DateTimeBucketAssigner{formatString='" + formatString + "', zoneId=" + zoneId + '}';
    }
}
