package dev.filesink.example;

import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The example's records: lines of about 100 bytes that carry their sequence number, so that whoever reads the output
 * can count every record exactly once ({@code record-0000000042-xxxx...}).
 */
public final class ExampleRecords {

    private static final String PADDING = "x".repeat(80);

    private ExampleRecords() {}

    public static String line(long id) {
        return String.format("record-%010d-%s", id, PADDING);
    }

    /** The sequence number of a record line. */
    public static long idOf(String line) {
        if (!line.startsWith("record-") || line.length() < 17) {
            throw new IllegalArgumentException("Not an example record: '" + abbreviate(line) + "'");
        }
        try {
            return Long.parseLong(line.substring(7, 17));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Not an example record: '" + abbreviate(line) + "'", e);
        }
    }

    /**
     * Records 0..count-1 (count 0: without end), at most {@code perSecond} per second over all subtasks (0: as fast
     * as possible). Built from Flink's checkpointed number sequence, so a restored job continues where it stopped.
     */
    public static DataStream<String> source(StreamExecutionEnvironment env, long count, double perSecond) {
        long last = count > 0 ? count - 1 : Long.MAX_VALUE - 1;
        DataStream<Long> ids = env.fromSequence(0, last).name("record-ids").uid("record-ids");
        if (perSecond > 0) {
            ids = ids.map(new Throttle<>(perSecond)).name("throttle").uid("throttle");
        }
        return ids.map(new ToLine()).name("to-record-line").uid("to-record-line");
    }

    private static String abbreviate(String line) {
        return line.length() <= 40 ? line : line.substring(0, 40) + "...";
    }

    private static final class ToLine implements MapFunction<Long, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String map(Long id) {
            return line(id);
        }
    }
}
