package dev.filesink.formats.compression;

import dev.filesink.formats.testing.Decompress;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A compressed file truncated at any persisted length (where a unit ended) decompresses, with the standard
 * decompressor, to exactly the records written before that persist.
 */
class CompressedUnitsTest {

    @ParameterizedTest
    @EnumSource(Compression.class)
    void everyPersistedLengthIsAReadableFile(Compression compression) throws Exception {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        CompressedUnits units = new CompressedUnits(file, compression, compression.defaultLevel());
        StringBuilder plain = new StringBuilder();
        List<Integer> persistedLengths = new ArrayList<>();
        List<String> plainAtPersist = new ArrayList<>();
        for (int record = 0; record < 3_000; record++) {
            byte[] line = ("record " + record + " " + "y".repeat(record % 50) + "\n").getBytes(StandardCharsets.UTF_8);
            units.write(line, 0, line.length);
            plain.append(new String(line, StandardCharsets.UTF_8));
            if (record % 400 == 399) {
                units.endUnit();
                units.endUnit(); // a persist without new records adds nothing
                persistedLengths.add(file.size());
                plainAtPersist.add(plain.toString());
            }
        }
        units.endUnit();
        persistedLengths.add(file.size());
        plainAtPersist.add(plain.toString());

        String name = "part" + compression.extension();
        for (int i = 0; i < persistedLengths.size(); i++) {
            byte[] truncated = Arrays.copyOf(file.toByteArray(), persistedLengths.get(i));
            assertThat(new String(Decompress.bytes(name, truncated), StandardCharsets.UTF_8))
                    .as("%s truncated at persist %d (%d bytes)", compression, i, truncated.length)
                    .isEqualTo(plainAtPersist.get(i));
        }
        if (compression != Compression.NONE) {
            assertThat(file.size()).as("compressed").isLessThan(plain.length());
        }
    }
}
