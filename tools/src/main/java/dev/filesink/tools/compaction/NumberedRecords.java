package dev.filesink.tools.compaction;

import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.connector.datagen.source.GeneratorFunction;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Records of exactly {@link #RECORD_BYTES} bytes with their newline, {@code SS-NNNNNNNNNNNN-xxx...}: the source
 * subtask and its own sequence number, so that a run's output can be checked record by record without knowing in
 * advance how many records a timed run generates. Counts per subtask are kept in this JVM (the cluster is embedded).
 */
final class NumberedRecords implements GeneratorFunction<Long, String> {

    static final int RECORD_BYTES = 100;
    static final int SUBTASK_DIGITS = 2;
    static final int SEQUENCE_START = SUBTASK_DIGITS + 1;
    static final int SEQUENCE_DIGITS = 12;
    private static final long serialVersionUID = 1L;

    /** Records generated per source subtask, in the current run. */
    private static final Map<Integer, AtomicLong> GENERATED = new ConcurrentHashMap<>();
    private static volatile long firstOpenedNanos;

    private transient int subtask;
    private transient AtomicLong generated;
    private transient char[] line;

    static void reset() {
        GENERATED.clear();
        firstOpenedNanos = 0;
    }

    static Map<Integer, Long> generated() {
        Map<Integer, Long> counts = new java.util.TreeMap<>();
        GENERATED.forEach((subtask, count) -> counts.put(subtask, count.get()));
        return counts;
    }

    static long totalGenerated() {
        return GENERATED.values().stream().mapToLong(AtomicLong::get).sum();
    }

    /** When the first source reader opened: the start of the run's clock. */
    static long firstOpenedNanos() {
        return firstOpenedNanos;
    }

    @Override
    public void open(SourceReaderContext context) {
        subtask = context.getIndexOfSubtask();
        if (subtask >= 100) {
            throw new IllegalArgumentException("at most 100 source subtasks, got subtask " + subtask);
        }
        generated = GENERATED.computeIfAbsent(subtask, ignored -> new AtomicLong());
        synchronized (NumberedRecords.class) {
            if (firstOpenedNanos == 0) {
                firstOpenedNanos = System.nanoTime();
            }
        }
        line = new char[RECORD_BYTES - 1];
        java.util.Arrays.fill(line, 'x');
        line[0] = (char) ('0' + subtask / 10);
        line[1] = (char) ('0' + subtask % 10);
        line[SUBTASK_DIGITS] = '-';
        line[SEQUENCE_START + SEQUENCE_DIGITS] = '-';
    }

    @Override
    public String map(Long ignoredIndex) {
        long rest = generated.getAndIncrement();
        for (int i = SEQUENCE_START + SEQUENCE_DIGITS - 1; i >= SEQUENCE_START; i--) {
            line[i] = (char) ('0' + rest % 10);
            rest /= 10;
        }
        return new String(line);
    }

    /** The sequence number of a record (its bytes without the newline, or the String). */
    static long sequenceOf(CharSequence record) {
        long sequence = 0;
        for (int i = SEQUENCE_START; i < SEQUENCE_START + SEQUENCE_DIGITS; i++) {
            sequence = sequence * 10 + (record.charAt(i) - '0');
        }
        return sequence;
    }
}
