package dev.filesink.tools.compaction;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a run's finished files back and checks that every generated record is there exactly once: each source
 * subtask's sequence numbers must be exactly 0..count-1, none twice, none malformed.
 */
final class RecordCheck {

    private final Map<Integer, BitSet> seen = new HashMap<>();
    private long records;
    private long duplicates;
    private final List<String> problems = new ArrayList<>();

    /** Adds one finished file's records. */
    void read(String name, InputStream in) throws IOException {
        byte[] buffer = new byte[NumberedRecords.RECORD_BYTES * 16_384];
        int filled = 0;
        int read;
        while ((read = in.readNBytes(buffer, filled, buffer.length - filled)) > 0) {
            filled += read;
            int whole = filled - filled % NumberedRecords.RECORD_BYTES;
            for (int offset = 0; offset < whole; offset += NumberedRecords.RECORD_BYTES) {
                record(name, buffer, offset);
            }
            System.arraycopy(buffer, whole, buffer, 0, filled - whole);
            filled -= whole;
        }
        if (filled != 0) {
            problem(name + ": ends with a partial record of " + filled + " bytes");
        }
    }

    private void record(String name, byte[] bytes, int offset) {
        if (bytes[offset + NumberedRecords.RECORD_BYTES - 1] != '\n' || bytes[offset + NumberedRecords.SUBTASK_DIGITS] != '-') {
            problem(name + ": malformed record at byte " + offset);
            return;
        }
        int subtask = (bytes[offset] - '0') * 10 + (bytes[offset + 1] - '0');
        long sequence = 0;
        for (int i = NumberedRecords.SEQUENCE_START; i < NumberedRecords.SEQUENCE_START + NumberedRecords.SEQUENCE_DIGITS; i++) {
            sequence = sequence * 10 + (bytes[offset + i] - '0');
        }
        if (sequence > Integer.MAX_VALUE) {
            problem(name + ": sequence number " + sequence + " out of range");
            return;
        }
        BitSet bits = seen.computeIfAbsent(subtask, ignored -> new BitSet());
        if (bits.get((int) sequence)) {
            duplicates++;
        } else {
            bits.set((int) sequence);
        }
        records++;
    }

    private void problem(String problem) {
        if (problems.size() < 10) {
            problems.add(problem);
        }
    }

    long records() {
        return records;
    }

    /** Null if every generated record was read exactly once, else what is wrong. */
    String verdict(Map<Integer, Long> generated) {
        List<String> wrong = new ArrayList<>(problems);
        if (duplicates > 0) {
            wrong.add(duplicates + " records twice");
        }
        for (Map.Entry<Integer, Long> subtask : generated.entrySet()) {
            BitSet bits = seen.getOrDefault(subtask.getKey(), new BitSet());
            long expected = subtask.getValue();
            if (bits.cardinality() != expected || bits.length() != expected) {
                wrong.add(String.format("subtask %d: generated %,d, found %,d distinct (highest %,d)",
                        subtask.getKey(), expected, bits.cardinality(), bits.length() - 1));
            }
        }
        for (Integer subtask : seen.keySet()) {
            if (!generated.containsKey(subtask)) {
                wrong.add("records of subtask " + subtask + ", which generated none");
            }
        }
        return wrong.isEmpty() ? null : String.join("; ", wrong);
    }
}
