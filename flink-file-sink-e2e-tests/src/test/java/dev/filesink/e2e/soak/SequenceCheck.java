package dev.filesink.e2e.soak;

import dev.filesink.example.ExampleRecords;

import org.apache.flink.api.connector.source.lib.NumberSequenceSource;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Exactly once for a job stopped with {@code flink stop --drain}: the number sequence source reads each of its
 * splits (fixed at the first submission) from its start, in order, so the records in finished files must be, per
 * split, every id from the split's start up to some id, each exactly once, each line whole and unchanged.
 */
final class SequenceCheck {

    private SequenceCheck() {}

    record Split(long from, long to) {}

    record Result(long records, long distinct, List<String> problems, List<String> perSplit) {
        boolean passed() {
            return problems.isEmpty();
        }
    }

    /** The splits Flink's {@code fromSequence(0, RECORDS - 1)} makes at this parallelism. */
    static List<Split> splits(long records, int parallelism) {
        List<Split> splits = new ArrayList<>();
        for (NumberSequenceSource.NumberSequenceSplit split : new SplitsOf(records).at(parallelism)) {
            splits.add(new Split(split.from(), split.to()));
        }
        return splits;
    }

    static Result check(List<String> lines, List<Split> splits) {
        List<String> problems = new ArrayList<>();
        BitSet[] seen = new BitSet[splits.size()];
        long[] highest = new long[splits.size()];
        for (int i = 0; i < seen.length; i++) {
            seen[i] = new BitSet();
            highest[i] = -1;
        }
        long distinct = 0;
        int duplicates = 0;
        for (String line : lines) {
            long id;
            try {
                id = ExampleRecords.idOf(line);
            } catch (IllegalArgumentException e) {
                report(problems, "not a record: " + abbreviate(line));
                continue;
            }
            if (!line.equals(ExampleRecords.line(id))) {
                report(problems, "record " + id + " is damaged: " + abbreviate(line));
            }
            int split = splitOf(splits, id);
            if (split < 0) {
                report(problems, "record " + id + " is outside every split");
                continue;
            }
            int offset = (int) (id - splits.get(split).from());
            if (seen[split].get(offset)) {
                duplicates++;
                report(problems, "record " + id + " is in finished files more than once");
            } else {
                seen[split].set(offset);
                distinct++;
                highest[split] = Math.max(highest[split], id);
            }
        }
        List<String> perSplit = new ArrayList<>();
        for (int i = 0; i < seen.length; i++) {
            Split split = splits.get(i);
            int count = seen[i].cardinality();
            int missing = highest[i] < 0 ? 0 : (int) (highest[i] - split.from() + 1) - count;
            perSplit.add(String.format("split %d..: %,d records (ids %d..%d), %d missing", split.from(), count,
                    split.from(), highest[i], missing));
            if (missing > 0) {
                int firstGap = seen[i].nextClearBit(0);
                report(problems, String.format("split from %d: %d records missing below %d, the first is %d",
                        split.from(), missing, highest[i], split.from() + firstGap));
            }
            if (count == 0) {
                report(problems, "split from " + split.from() + " has no record at all");
            }
        }
        if (duplicates > 0) {
            problems.add(0, duplicates + " duplicate records");
        }
        return new Result(lines.size(), distinct, problems, perSplit);
    }

    private static int splitOf(List<Split> splits, long id) {
        for (int i = 0; i < splits.size(); i++) {
            if (id >= splits.get(i).from() && id <= splits.get(i).to()) {
                return i;
            }
        }
        return -1;
    }

    private static void report(List<String> problems, String problem) {
        if (problems.size() < 40) {
            problems.add(problem);
        }
    }

    private static String abbreviate(String line) {
        return line.length() <= 40 ? line : line.substring(0, 40) + "...";
    }

    /** Flink's own split arithmetic, so that the check never disagrees with the source. */
    private static final class SplitsOf extends NumberSequenceSource {
        private static final long serialVersionUID = 1L;

        SplitsOf(long records) {
            super(0, records - 1);
        }

        List<NumberSequenceSplit> at(int parallelism) {
            return splitNumberRange(getFrom(), getTo(), parallelism);
        }
    }
}
