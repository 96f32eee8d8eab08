package dev.filesink.formats.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Records what a compressed part file held at each persist (its length, and the plain text written so far) and checks
 * that the file truncated at every one of those lengths decompresses to exactly that text, as after a restore.
 */
public final class PersistPoints {

    private final ByteArrayOutputStream file;
    private final StringBuilder plain = new StringBuilder();
    private final List<Integer> lengths = new ArrayList<>();
    private final List<String> plainAtPersist = new ArrayList<>();

    public PersistPoints(ByteArrayOutputStream file) {
        this.file = file;
    }

    /** The line of the given record, of varying length, as the tests write it. */
    public static byte[] line(int record, int maxPadding) {
        return ("record " + record + " " + "y".repeat(record % maxPadding) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** Notes plain bytes handed to the compressing stream. */
    public void wrote(byte[] line) {
        plain.append(new String(line, StandardCharsets.UTF_8));
    }

    /** Notes a persist: the file's length now must be a readable file holding everything written so far. */
    public void persisted() {
        lengths.add(file.size());
        plainAtPersist.add(plain.toString());
    }

    public int plainLength() {
        return plain.length();
    }

    /** Decompresses the file truncated at every persisted length, by the file name's extension. */
    public void assertEveryPersistedLengthIsReadable(String fileName, Object compression) throws Exception {
        byte[] bytes = file.toByteArray();
        for (int i = 0; i < lengths.size(); i++) {
            byte[] truncated = Arrays.copyOf(bytes, lengths.get(i));
            assertThat(new String(Decompress.bytes(fileName, truncated), StandardCharsets.UTF_8))
                    .as("%s truncated at persist %d (%d bytes)", compression, i, truncated.length)
                    .isEqualTo(plainAtPersist.get(i));
        }
    }
}
