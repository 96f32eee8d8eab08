package dev.filesink.bucketassigners.partitioning;

import org.apache.flink.streaming.api.functions.sink.filesystem.BucketAssigner;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAccessor;
import java.util.Date;

/** A partition level holding a time formatted by a pattern, e.g. {@code dt=2026-11-22} or {@code hour=07}. */
final class TimeField<IN> extends PartitionField<IN> {

    private static final long serialVersionUID = 1L;

    private final String pattern;
    private final ZoneId zone;
    private final TimeSource<IN> source;
    private final boolean secondResolution;

    private transient DateTimeFormatter formatter;
    // The last directory name and the epoch second it was made for: patterns without sub-second fields print the
    // same text for every instant of a second (zone offsets are whole seconds).
    private transient long lastSecond;
    private transient String lastSegment;

    TimeField(String key, String pattern, ZoneId zone, TimeSource<IN> source) {
        super(key);
        this.pattern = pattern;
        this.zone = zone;
        this.source = source;
        this.secondResolution = printsNothingBelowSeconds(pattern);
        this.formatter = formatterFor(key, pattern, zone);
    }

    @Override
    String segment(IN record, BucketAssigner.Context context, SegmentEncoder encoder) {
        Object time;
        try {
            time = source.timeOf(record, context);
        } catch (TimeSource.MissingTimestampException e) {
            throw new InvalidPartitionValueException(key, e.getMessage());
        } catch (InvalidPartitionValueException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new InvalidPartitionValueException(key, "reading the time from " + source + " failed: "
                    + e.getMessage(), e);
        }
        if (time == null) {
            return encoder.encode(key, null);
        }
        TemporalAccessor temporal = asTemporal(time);
        if (temporal instanceof Instant && secondResolution) {
            long second = ((Instant) temporal).getEpochSecond();
            if (lastSegment != null && second == lastSecond) {
                return lastSegment;
            }
            lastSegment = encoder.encode(key, format(temporal, time));
            lastSecond = second;
            return lastSegment;
        }
        return encoder.encode(key, format(temporal, time));
    }

    private TemporalAccessor asTemporal(Object time) {
        if (time instanceof Long) {
            return Instant.ofEpochMilli((Long) time);
        }
        if (time instanceof Date) {
            // getTime(), not toInstant(): java.sql.Date refuses the latter.
            return Instant.ofEpochMilli(((Date) time).getTime());
        }
        if (time instanceof TemporalAccessor) {
            return (TemporalAccessor) time;
        }
        throw new InvalidPartitionValueException(key, "a time must be epoch milliseconds (long), an Instant, Date, "
                + "ZonedDateTime, OffsetDateTime, LocalDateTime or LocalDate, but " + source + " gave a "
                + time.getClass().getName() + "; convert it with a FieldExtractor");
    }

    private String format(TemporalAccessor temporal, Object original) {
        if (formatter == null) {
            formatter = formatterFor(key, pattern, zone);
        }
        try {
            return formatter.format(temporal);
        } catch (DateTimeException e) {
            throw new InvalidPartitionValueException(key, "pattern '" + pattern + "' cannot format the "
                    + original.getClass().getSimpleName() + " " + original + ": " + e.getMessage(), e);
        }
    }

    private static DateTimeFormatter formatterFor(String key, String pattern, ZoneId zone) {
        try {
            return DateTimeFormatter.ofPattern(pattern).withZone(zone);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Partition field '" + key + "': '" + pattern
                    + "' is not a valid date-time pattern: " + e.getMessage(), e);
        }
    }

    /** Whether the pattern prints no field finer than a second (fractions, nano/milli-of-day), outside quotes. */
    static boolean printsNothingBelowSeconds(String pattern) {
        boolean quoted = false;
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '\'') {
                quoted = !quoted;
            } else if (!quoted && (c == 'S' || c == 'n' || c == 'N' || c == 'A')) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return key + "=" + pattern + " of " + source + " (" + zone + ")";
    }
}
