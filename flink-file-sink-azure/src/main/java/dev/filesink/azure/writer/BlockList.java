package dev.filesink.azure.writer;

import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * The ordered block ids of a part file, kept as runs: every writer incarnation (a first open, or a resume after a
 * restore) names its blocks {@code <random 32 hex>-<10 digit index>}, so that a part file's ids are unique and all
 * of the same length, as the service requires, and a list of 50,000 ids fits in a few runs.
 *
 * <p>Immutable; {@link #append} returns a new list.
 */
public final class BlockList {

    static final int ID_LENGTH = 43;
    private static final BlockList EMPTY = new BlockList(List.of(), 0);

    private final List<Run> runs;
    private final int size;

    private BlockList(List<Run> runs, int size) {
        this.runs = runs;
        this.size = size;
    }

    public static BlockList empty() {
        return EMPTY;
    }

    /** Writes the runs for a checkpoint: their count, then incarnation, first index and count of each. */
    void writeTo(DataOutputView out) throws IOException {
        List<Run> runs = runs();
        out.writeInt(runs.size());
        for (Run run : runs) {
            out.writeUTF(run.incarnation());
            out.writeInt(run.firstIndex());
            out.writeInt(run.count());
        }
    }

    /** What {@link #writeTo} wrote. */
    static BlockList readFrom(DataInputView in) throws IOException {
        int runCount = in.readInt();
        List<Run> runs = new ArrayList<>(runCount);
        for (int i = 0; i < runCount; i++) {
            runs.add(new Run(in.readUTF(), in.readInt(), in.readInt()));
        }
        return of(runs);
    }

    static BlockList of(List<Run> runs) {
        int size = 0;
        int expectedNext = 0;
        for (Run run : runs) {
            if (run.firstIndex() != expectedNext) {
                throw new IllegalArgumentException("Block runs are not contiguous: run " + run + " after " + expectedNext);
            }
            size += run.count();
            expectedNext += run.count();
        }
        return new BlockList(List.copyOf(runs), size);
    }

    /** The list with one more block of the given incarnation, named by the next index. */
    public BlockList append(String incarnation) {
        List<Run> next = new ArrayList<>(runs);
        Run last = next.isEmpty() ? null : next.get(next.size() - 1);
        if (last != null && last.incarnation().equals(incarnation)) {
            next.set(next.size() - 1, new Run(incarnation, last.firstIndex(), last.count() + 1));
        } else {
            next.add(new Run(incarnation, size, 1));
        }
        return new BlockList(List.copyOf(next), size + 1);
    }

    public int size() {
        return size;
    }

    List<Run> runs() {
        return runs;
    }

    /** The id of the block at {@code index}, base64-encoded as the service expects. */
    public String idAt(int index) {
        for (Run run : runs) {
            if (index < run.firstIndex() + run.count()) {
                return encode(run.incarnation(), index);
            }
        }
        throw new IndexOutOfBoundsException("Block " + index + " of " + size);
    }

    /** All ids in order, base64-encoded. */
    public List<String> ids() {
        List<String> ids = new ArrayList<>(size);
        for (Run run : runs) {
            for (int i = 0; i < run.count(); i++) {
                ids.add(encode(run.incarnation(), run.firstIndex() + i));
            }
        }
        return ids;
    }

    public static String encode(String incarnation, int index) {
        String raw = String.format("%s-%010d", incarnation, index);
        return Base64.getEncoder().encodeToString(raw.getBytes(StandardCharsets.US_ASCII));
    }

    /** A fresh incarnation: 32 random hex digits. */
    public static String newIncarnation() {
        return java.util.UUID.randomUUID().toString().replace("-", "");
    }

    static void checkIncarnation(String incarnation) {
        if (incarnation.length() != 32 || !incarnation.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new IllegalArgumentException("Not a block id incarnation: '" + incarnation + "'");
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof BlockList list && list.runs.equals(runs);
    }

    @Override
    public int hashCode() {
        return Objects.hash(runs);
    }

    @Override
    public String toString() {
        return size + " blocks";
    }

    /** Consecutive blocks of one incarnation, starting at {@code firstIndex}. */
    record Run(String incarnation, int firstIndex, int count) {
        Run {
            checkIncarnation(incarnation);
            if (firstIndex < 0 || count < 1) {
                throw new IllegalArgumentException("Invalid block run " + firstIndex + "+" + count);
            }
        }
    }
}
