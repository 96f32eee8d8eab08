package dev.filesink.formats.compression;

import dev.filesink.formats.testing.PersistPoints;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;

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
        PersistPoints persists = new PersistPoints(file);
        for (int record = 0; record < 3_000; record++) {
            byte[] line = PersistPoints.line(record, 50);
            units.write(line, 0, line.length);
            persists.wrote(line);
            if (record % 400 == 399) {
                units.endUnit();
                units.endUnit(); // a persist without new records adds nothing
                persists.persisted();
            }
        }
        units.endUnit();
        persists.persisted();

        persists.assertEveryPersistedLengthIsReadable("part" + compression.extension(), compression);
        if (compression != Compression.NONE) {
            assertThat(file.size()).as("compressed").isLessThan(persists.plainLength());
        }
    }
}
