package dev.filesink.bucketassigners.partitioning;

import dev.filesink.bucketassigners.StringBucketIdSerializer;

import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.functions.sink.filesystem.BucketAssigner;
import org.apache.flink.types.Row;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Buckets records by their field values into Hive-style partition directories, e.g.
 * {@code country=DE/dt=2026-11-22/hour=07}, or values only ({@code DE/2026-11-22/07}).
 *
 * <pre>{@code
 * FieldPartitionBucketAssigner<Order> partitions = FieldPartitionBucketAssigner.forPojos(Order.class)
 *         .field("country")
 *         .timeField("dt", "yyyy-MM-dd", "createdAt")
 *         .timeField("hour", "HH", "createdAt")
 *         .build();
 * }</pre>
 *
 * <p>Values come from data, so every one is made path-safe: {@code null} and empty values go to the default partition
 * ({@value #DEFAULT_PARTITION_NAME}), reserved characters are escaped as Hive escapes them ({@link HiveEscaping}),
 * and a directory name longer than {@link Builder#withMaxSegmentBytes the limit} fails the job with an
 * {@link InvalidPartitionValueException} naming the field. Whatever a record holds, its bucket is a fixed number of
 * plain directories below the sink's base path.
 */
public final class FieldPartitionBucketAssigner<IN> implements BucketAssigner<IN, String> {

    private static final long serialVersionUID = 1L;

    /** Hive's name for the partition of null and empty values. */
    public static final String DEFAULT_PARTITION_NAME = "__HIVE_DEFAULT_PARTITION__";

    /**
     * The default partition of values-only paths: Hive's name would start with '_', which Hadoop, Hive and Spark
     * readers take for a hidden directory (with {@code key=} in front they do not).
     */
    public static final String VALUES_ONLY_DEFAULT_PARTITION_NAME = "HIVE_DEFAULT_PARTITION";

    /** The longest file name most file systems accept (ext4, XFS, NTFS, HDFS' default), in bytes. */
    public static final int DEFAULT_MAX_SEGMENT_BYTES = 255;

    private static final Pattern KEY = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N}_.\\-]*");

    private final List<PartitionField<IN>> fields;
    private final SegmentEncoder encoder;
    private final PathStyle style;

    private FieldPartitionBucketAssigner(List<PartitionField<IN>> fields, SegmentEncoder encoder, PathStyle style) {
        this.fields = fields;
        this.encoder = encoder;
        this.style = style;
    }

    /** Partitions POJOs or Java records; {@link Builder#field(String)} names their properties. */
    public static <T> Builder<T> forPojos(Class<T> type) {
        return new Builder<>(FieldAccess.pojo(type));
    }

    /** Partitions Flink {@link Row}s with named fields; by position: {@code field(key, FieldExtractors.row(i))}. */
    public static Builder<Row> forRows() {
        return new Builder<>(FieldAccess.row());
    }

    /** Partitions {@code Map}s; {@link Builder#field(String)} names their keys. */
    public static <M extends Map<String, ?>> Builder<M> forMaps() {
        return new Builder<>(FieldAccess.map());
    }

    /** Partitions any record type whose fields the access reads by name (Avro: {@code n -> r -> r.get(n)}). */
    public static <T> Builder<T> forRecords(FieldAccess<T> access) {
        if (access == null) {
            throw new IllegalArgumentException("FieldAccess must not be null");
        }
        return new Builder<>(access);
    }

    /** A builder that only takes explicit {@link FieldExtractor}s. */
    public static <T> Builder<T> builder() {
        return new Builder<>(null);
    }

    @Override
    public String getBucketId(IN element, Context context) {
        if (fields.size() == 1) {
            return fields.get(0).segment(element, context, encoder);
        }
        StringBuilder id = new StringBuilder(64);
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                id.append('/');
            }
            id.append(fields.get(i).segment(element, context, encoder));
        }
        return id.toString();
    }

    /**
     * The partition values of a bucket id (or a path relative to the base path) this assigner made, in order, by
     * key: escaping undone, {@code null} for the default partition.
     */
    public Map<String, String> partitionValues(String bucketId) {
        String[] segments = bucketId.split("/", -1);
        if (segments.length != fields.size()) {
            throw new IllegalArgumentException("'" + bucketId + "' has " + segments.length + " levels, the partitions "
                    + "have " + fields.size());
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < segments.length; i++) {
            String key = fields.get(i).key();
            values.put(key, encoder.decode(key, segments[i]));
        }
        return values;
    }

    /** The partition keys, outermost first. */
    public List<String> keys() {
        List<String> keys = new ArrayList<>(fields.size());
        for (PartitionField<IN> field : fields) {
            keys.add(field.key());
        }
        return keys;
    }

    public PathStyle pathStyle() {
        return style;
    }

    @Override
    public SimpleVersionedSerializer<String> getSerializer() {
        return StringBucketIdSerializer.INSTANCE;
    }

    @Override
    public String toString() {
        return "FieldPartitionBucketAssigner{" + fields + ", style=" + style + '}';
    }

    /** Collects the partition levels, outermost first, and the rules for turning values into directories. */
    public static final class Builder<IN> {

        private final FieldAccess<IN> access;
        private final List<Level<IN>> levels = new ArrayList<>();
        private PathStyle style = PathStyle.HIVE;
        private String defaultPartitionName;
        private int maxSegmentBytes = DEFAULT_MAX_SEGMENT_BYTES;
        private ZoneId zone = ZoneOffset.UTC;

        private Builder(FieldAccess<IN> access) {
            this.access = access;
        }

        /** A level keyed and valued by the named field of the record type. */
        public Builder<IN> field(String name) {
            return field(name, extractorFor(name, name));
        }

        /** A level with this key whose value the extractor reads. */
        public Builder<IN> field(String key, FieldExtractor<IN> extractor) {
            requireNonNull(extractor, "extractor of partition field '" + key + "'");
            levels.add(new Level<>(key, extractor, null, null));
            return this;
        }

        /** A time level: the named field of the record (event time), formatted by the pattern in the zone. */
        public Builder<IN> timeField(String key, String pattern, String timeFieldName) {
            return timeField(key, pattern, TimeSource.field(extractorFor(key, timeFieldName)));
        }

        /** A time level from any source: {@link TimeSource#field}, record timestamp or processing time. */
        public Builder<IN> timeField(String key, String pattern, TimeSource<IN> source) {
            requireNonNull(pattern, "pattern of partition field '" + key + "'");
            requireNonNull(source, "time source of partition field '" + key + "'");
            levels.add(new Level<>(key, null, pattern, source));
            return this;
        }

        /** The zone in which instants are formatted (default UTC); local date-times are formatted as they are. */
        public Builder<IN> withZone(ZoneId zone) {
            requireNonNull(zone, "zone");
            this.zone = zone;
            return this;
        }

        /** {@code key=value} directories (default) or values only. */
        public Builder<IN> withPathStyle(PathStyle style) {
            requireNonNull(style, "path style");
            this.style = style;
            return this;
        }

        /** Shorthand for {@code withPathStyle(PathStyle.VALUES_ONLY)}. */
        public Builder<IN> valuesOnly() {
            return withPathStyle(PathStyle.VALUES_ONLY);
        }

        /**
         * The directory name for null and empty values (default {@value #DEFAULT_PARTITION_NAME}, for values-only
         * paths {@value #VALUES_ONLY_DEFAULT_PARTITION_NAME}).
         */
        public Builder<IN> withDefaultPartitionName(String name) {
            requireNonNull(name, "default partition name");
            this.defaultPartitionName = name;
            return this;
        }

        /**
         * The longest directory name a level may have, in UTF-8 bytes after escaping, {@code key=} included
         * (default 255, what most file systems allow). A record with a longer value fails the job.
         */
        public Builder<IN> withMaxSegmentBytes(int bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("maxSegmentBytes must be positive, was " + bytes);
            }
            this.maxSegmentBytes = bytes;
            return this;
        }

        public FieldPartitionBucketAssigner<IN> build() {
            if (levels.isEmpty()) {
                throw new IllegalArgumentException("A field partitioning needs at least one partition field");
            }
            String defaultName = defaultPartitionName != null ? defaultPartitionName
                    : style == PathStyle.HIVE ? DEFAULT_PARTITION_NAME : VALUES_ONLY_DEFAULT_PARTITION_NAME;
            checkDefaultName(defaultName);
            SegmentEncoder encoder = new SegmentEncoder(style, defaultName, maxSegmentBytes);
            Set<String> keys = new HashSet<>();
            List<PartitionField<IN>> fields = new ArrayList<>();
            for (Level<IN> level : levels) {
                checkKey(level.key);
                if (!keys.add(level.key)) {
                    throw new IllegalArgumentException("Partition field '" + level.key + "' is listed twice");
                }
                // The default partition must fit, so that a null can never fail the job.
                encoder.encode(level.key, null);
                fields.add(level.pattern == null
                        ? new ValueField<>(level.key, level.extractor)
                        : new TimeField<>(level.key, level.pattern, zone, level.time));
            }
            return new FieldPartitionBucketAssigner<>(List.copyOf(fields), encoder, style);
        }

        private FieldExtractor<IN> extractorFor(String key, String name) {
            requireNonNull(name, "field name of partition field '" + key + "'");
            if (access == null) {
                throw new IllegalArgumentException("Partition field '" + key + "' names field '" + name + "', but this "
                        + "builder has no FieldAccess: start with forPojos/forRows/forMaps/forRecords, or pass a "
                        + "FieldExtractor");
            }
            try {
                return access.field(name);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Partition field '" + key + "': " + e.getMessage(), e);
            }
        }

        private void checkKey(String key) {
            if (key == null || !KEY.matcher(key).matches()) {
                throw new IllegalArgumentException("Partition key '" + key + "' is not allowed: it must start with a "
                        + "letter or digit and hold only letters, digits, '_', '.' and '-' (a leading '_' or '.' hides "
                        + "the directory from Hadoop, Hive and Spark readers)");
            }
        }

        private void checkDefaultName(String name) {
            if (name.isEmpty() || name.equals(".") || name.equals("..")
                    || !HiveEscaping.escapePathName(name).equals(name)) {
                throw new IllegalArgumentException("Default partition name '" + HiveEscaping.escapePathName(name)
                        + "' is not allowed: it must be a plain directory name, not '.' or '..' and without "
                        + "characters that need escaping");
            }
            if (style == PathStyle.VALUES_ONLY && (name.startsWith(".") || name.startsWith("_"))) {
                throw new IllegalArgumentException("Default partition name '" + name + "' is not allowed for values-only "
                        + "paths: a leading '_' or '.' hides the directory from Hadoop, Hive and Spark readers");
            }
        }

        private static void requireNonNull(Object value, String what) {
            if (value == null) {
                throw new IllegalArgumentException(what + " must not be null");
            }
        }

        /** One level as configured; turned into a {@link PartitionField} at build, when the zone is known. */
        private record Level<IN>(String key, FieldExtractor<IN> extractor, String pattern, TimeSource<IN> time) {}
    }
}
