package dev.filesink.bucketassigners.partitioning;

import org.apache.flink.streaming.api.functions.sink.filesystem.BucketAssigner;

import java.io.Serializable;

/**
 * Where a time partition's instant comes from: a field of the record (event time), the record's Flink timestamp,
 * or the writer's processing time.
 *
 * <p>A time is epoch milliseconds as a {@code Long}, an {@code Instant}, {@code java.util.Date} (also
 * {@code java.sql.Timestamp}), {@code ZonedDateTime}, {@code OffsetDateTime}, or a zone-less {@code LocalDateTime} /
 * {@code LocalDate}, which are formatted as they are. {@code null} goes to the default partition.
 */
@FunctionalInterface
public interface TimeSource<IN> extends Serializable {

    Object timeOf(IN record, BucketAssigner.Context context);

    /** Event time from a field of the record. */
    static <IN> TimeSource<IN> field(FieldExtractor<IN> extractor) {
        if (extractor == null) {
            throw new IllegalArgumentException("Time field extractor must not be null");
        }
        return new FieldTime<>(extractor);
    }

    /** The timestamp Flink carries with the record (set by a source or a {@code WatermarkStrategy}). */
    static <IN> TimeSource<IN> recordTimestamp() {
        return new RecordTimestamp<>();
    }

    /** The writer's processing time when the record arrives: partitions by arrival, not by content. */
    static <IN> TimeSource<IN> processingTime() {
        return new ProcessingTime<>();
    }

    /** Event time read from the record. */
    final class FieldTime<IN> implements TimeSource<IN> {
        private static final long serialVersionUID = 1L;

        private final FieldExtractor<IN> extractor;

        FieldTime(FieldExtractor<IN> extractor) {
            this.extractor = extractor;
        }

        @Override
        public Object timeOf(IN record, BucketAssigner.Context context) {
            return extractor.extract(record);
        }

        @Override
        public String toString() {
            return "field " + extractor;
        }
    }

    /** Flink's record timestamp; a record without one is an error, not a default partition: a setup mistake. */
    final class RecordTimestamp<IN> implements TimeSource<IN> {
        private static final long serialVersionUID = 1L;

        @Override
        public Object timeOf(IN record, BucketAssigner.Context context) {
            Long timestamp = context.timestamp();
            if (timestamp == null) {
                throw new MissingTimestampException();
            }
            return timestamp;
        }

        @Override
        public String toString() {
            return "record timestamp";
        }
    }

    /** The writer's clock. */
    final class ProcessingTime<IN> implements TimeSource<IN> {
        private static final long serialVersionUID = 1L;

        @Override
        public Object timeOf(IN record, BucketAssigner.Context context) {
            return context.currentProcessingTime();
        }

        @Override
        public String toString() {
            return "processing time";
        }
    }

    /** Thrown by {@link RecordTimestamp}; the time field turns it into a message naming the partition key. */
    final class MissingTimestampException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MissingTimestampException() {
            super("the record has no timestamp: assign timestamps with a WatermarkStrategy, or partition by a time "
                    + "field of the record or by processing time", null, false, false);
        }
    }
}
