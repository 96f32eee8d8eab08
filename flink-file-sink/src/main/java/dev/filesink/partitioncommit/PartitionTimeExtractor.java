package dev.filesink.partitioncommit;

import dev.filesink.bucketassigners.DateTimeBucketAssigner;
import dev.filesink.bucketassigners.partitioning.HiveEscaping;

import java.io.Serializable;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAccessor;
import java.time.temporal.TemporalQueries;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a partition's time range from its bucket id. Either the whole bucket id is parsed with a formatter (the ids of
 * {@link DateTimeBucketAssigner}, default {@code yyyy-MM-dd--HH}), or a pattern such as {@code $dt $hour:00:00} is
 * filled with the values of the bucket id's {@code key=value} segments and then parsed with a formatter such as
 * {@code yyyy-MM-dd HH:mm:ss} (as Flink SQL's {@code partition.time-extractor.timestamp-pattern}).
 *
 * <p>The partition's end is its start plus its length: set explicitly, or inferred from the finest formatter field
 * that a bucket id fills ({@code HH}: one hour, {@code dd}: one day, {@code mm}: one minute...). The zone defaults to
 * the JVM's default zone, as for {@link DateTimeBucketAssigner}.
 */
public final class PartitionTimeExtractor implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final Pattern VARIABLE = Pattern.compile("\\$([A-Za-z_][A-Za-z0-9_]*)");

    /** Null: the whole bucket id is parsed. */
    private final String pattern;
    private final String formatterPattern;
    private final ZoneId zone;
    /** The explicit length, or null: {@link #unit} is used. */
    private final Duration length;
    private final ChronoUnit unit;
    private transient DateTimeFormatter formatter;

    private PartitionTimeExtractor(String pattern, String formatterPattern, ZoneId zone, Duration length) {
        this.pattern = pattern;
        this.formatterPattern = formatterPattern;
        this.zone = zone;
        this.length = length;
        if (formatterPattern == null || formatterPattern.isEmpty()) {
            throw new IllegalArgumentException("partition time extractor: the formatter must not be empty");
        }
        try {
            DateTimeFormatter.ofPattern(formatterPattern);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "partition time extractor: bad formatter '" + formatterPattern + "': " + e.getMessage(), e);
        }
        if (pattern != null && !VARIABLE.matcher(pattern).find()) {
            throw new IllegalArgumentException("partition time extractor: the timestamp pattern '" + pattern
                    + "' names no $variable (for example '$dt $hour:00:00')");
        }
        if (length != null && (length.isZero() || length.isNegative())) {
            throw new IllegalArgumentException("partition length must be positive, was " + length);
        }
        this.unit = length != null ? null : inferUnit(pattern, formatterPattern);
    }

    /** Parses whole bucket ids with this formatter ({@link DateTimeBucketAssigner} ids), in the default zone. */
    public static PartitionTimeExtractor bucketIdFormat(String formatter) {
        return new PartitionTimeExtractor(null, formatter, ZoneId.systemDefault(), null);
    }

    /** The default: {@link DateTimeBucketAssigner}'s ids ({@code yyyy-MM-dd--HH}) in the JVM's default zone. */
    public static PartitionTimeExtractor defaultBucketIds() {
        return bucketIdFormat(DateTimeBucketAssigner.DEFAULT_FORMAT);
    }

    /**
     * Fills {@code pattern} ({@code $key} stands for the value of the bucket id's {@code key=value} segment) and
     * parses the result with {@code formatter}, for example {@code ("$dt $hour:00:00", "yyyy-MM-dd HH:mm:ss")}.
     */
    public static PartitionTimeExtractor pattern(String pattern, String formatter) {
        if (pattern == null || pattern.isEmpty()) {
            throw new IllegalArgumentException("partition time extractor: the timestamp pattern must not be empty");
        }
        return new PartitionTimeExtractor(pattern, formatter, ZoneId.systemDefault(), null);
    }

    /** The zone the bucket ids' local times are in (default: the JVM's default zone, as DateTimeBucketAssigner's). */
    public PartitionTimeExtractor withZone(ZoneId zone) {
        if (zone == null) {
            throw new IllegalArgumentException("partition time extractor: zone must not be null");
        }
        return new PartitionTimeExtractor(pattern, formatterPattern, zone, length);
    }

    /** An explicit partition length, instead of the one inferred from the finest formatter field. */
    public PartitionTimeExtractor withPartitionLength(Duration length) {
        if (length == null) {
            throw new IllegalArgumentException("partition length must not be null");
        }
        return new PartitionTimeExtractor(pattern, formatterPattern, zone, length);
    }

    /** The start of the partition's time range. */
    public Instant start(String bucketId) {
        String text = pattern == null ? bucketId : fill(bucketId);
        try {
            TemporalAccessor parsed = formatter().parse(text);
            LocalDate date = parsed.query(TemporalQueries.localDate());
            LocalTime time = parsed.query(TemporalQueries.localTime());
            if (date == null) {
                throw new DateTimeException("no date in '" + text + "'");
            }
            return LocalDateTime.of(date, time != null ? time : LocalTime.MIDNIGHT).atZone(zone).toInstant();
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("partition time extractor: cannot read a time from bucket id '"
                    + bucketId + "' (" + describe() + "): " + e.getMessage(), e);
        }
    }

    /** The end of the partition's time range: start plus the partition length. */
    public Instant end(String bucketId) {
        Instant start = start(bucketId);
        return length != null ? start.plus(length) : start.atZone(zone).plus(1, unit).toInstant();
    }

    /** The partition's {@code key=value} segments, in order (empty for a bucket id without any). */
    public static Map<String, String> partitionValues(String bucketId) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String segment : bucketId.split("/")) {
            int equals = segment.indexOf('=');
            if (equals > 0) {
                values.put(HiveEscaping.unescapePathName(segment.substring(0, equals)),
                        HiveEscaping.unescapePathName(segment.substring(equals + 1)));
            }
        }
        return values;
    }

    private String fill(String bucketId) {
        Map<String, String> values = partitionValues(bucketId);
        Matcher matcher = VARIABLE.matcher(pattern);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String value = values.get(matcher.group(1));
            if (value == null) {
                throw new IllegalArgumentException("partition time extractor: bucket id '" + bucketId
                        + "' has no segment '" + matcher.group(1) + "=...' that the pattern '" + pattern + "' names");
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    private DateTimeFormatter formatter() {
        if (formatter == null) {
            formatter = DateTimeFormatter.ofPattern(formatterPattern);
        }
        return formatter;
    }

    private String describe() {
        return pattern == null ? "formatter '" + formatterPattern + "'"
                : "pattern '" + pattern + "', formatter '" + formatterPattern + "'";
    }

    @Override
    public String toString() {
        return "PartitionTimeExtractor{" + describe() + ", zone=" + zone
                + (length != null ? ", length=" + length : ", unit=" + unit) + '}';
    }

    // ---- Inferring the partition length ----------------------------------------------------------------------

    /**
     * The finest unit among the formatter's fields that the bucket id fills. With a pattern, the pattern is aligned
     * with the formatter: a literal character matches the same character or, if it is a digit, a formatter letter
     * (the {@code 00} of {@code $hour:00:00} against {@code mm}); a {@code $variable} covers one or more formatter
     * characters, and only the letters it covers count.
     */
    static ChronoUnit inferUnit(String pattern, String formatterPattern) {
        String letters = unquoted(formatterPattern);
        List<Character> variableLetters = new ArrayList<>();
        if (pattern == null) {
            for (char c : letters.toCharArray()) {
                variableLetters.add(c);
            }
        } else if (!align(tokens(pattern), 0, letters, 0, variableLetters)) {
            throw new IllegalArgumentException("partition time extractor: cannot tell which fields of formatter '"
                    + formatterPattern + "' the pattern '" + pattern + "' fills; set the partition length explicitly");
        }
        ChronoUnit finest = null;
        for (char c : variableLetters) {
            ChronoUnit unit = unitOf(c);
            if (unit != null && (finest == null || unit.getDuration().compareTo(finest.getDuration()) < 0)) {
                finest = unit;
            }
        }
        if (finest == null) {
            throw new IllegalArgumentException("partition time extractor: formatter '" + formatterPattern
                    + "' has no date or time field to infer the partition length from; set it explicitly");
        }
        return finest;
    }

    private static ChronoUnit unitOf(char letter) {
        switch (letter) {
            case 'S': case 'n': case 'N': case 'A':
                return ChronoUnit.MILLIS;
            case 's':
                return ChronoUnit.SECONDS;
            case 'm':
                return ChronoUnit.MINUTES;
            case 'H': case 'h': case 'k': case 'K':
                return ChronoUnit.HOURS;
            case 'd': case 'D': case 'E': case 'e': case 'c':
                return ChronoUnit.DAYS;
            case 'w': case 'W': case 'Y':
                return ChronoUnit.WEEKS;
            case 'M': case 'L':
                return ChronoUnit.MONTHS;
            case 'y': case 'u':
                return ChronoUnit.YEARS;
            default:
                return null;
        }
    }

    /** The formatter's pattern with quoted literals replaced by spaces-free placeholders of their text. */
    private static String unquoted(String formatter) {
        StringBuilder out = new StringBuilder();
        boolean quoted = false;
        for (char c : formatter.toCharArray()) {
            if (c == '\'') {
                quoted = !quoted;
            } else {
                // A quoted letter is a literal: kept as a character that never counts as a field.
                out.append(quoted && Character.isLetter(c) ? '\u0000' : c);
            }
        }
        return out.toString();
    }

    /** The pattern as literal characters and variables (null entries). */
    private static List<Character> tokens(String pattern) {
        List<Character> tokens = new ArrayList<>();
        Matcher matcher = VARIABLE.matcher(pattern);
        int at = 0;
        while (matcher.find()) {
            for (char c : pattern.substring(at, matcher.start()).toCharArray()) {
                tokens.add(c);
            }
            tokens.add(null);
            at = matcher.end();
        }
        for (char c : pattern.substring(at).toCharArray()) {
            tokens.add(c);
        }
        return tokens;
    }

    private static boolean align(List<Character> tokens, int t, String letters, int f, List<Character> covered) {
        if (t == tokens.size()) {
            return f == letters.length();
        }
        Character token = tokens.get(t);
        if (token != null) {
            if (f >= letters.length()) {
                return false;
            }
            char c = letters.charAt(f);
            boolean matches = token == c || (Character.isDigit(token) && Character.isLetter(c));
            return matches && align(tokens, t + 1, letters, f + 1, covered);
        }
        for (int end = f + 1; end <= letters.length(); end++) {
            int mark = covered.size();
            for (char c : letters.substring(f, end).toCharArray()) {
                covered.add(c);
            }
            if (align(tokens, t + 1, letters, end, covered)) {
                return true;
            }
            covered.subList(mark, covered.size()).clear();
        }
        return false;
    }
}
