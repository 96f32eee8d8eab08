package dev.filesink.azure.writer;

import dev.filesink.testing.GoldenFiles;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Azure blob recoverables in checkpoints written by every version of the serializer keep restoring (see {@link GoldenFiles}). */
class AzureBlobRecoverableSerializerCompatibilityTest {

    private static final Path RESOURCES = Path.of("src/test/resources/serialized");
    private static final AzureBlobRecoverableSerializer SERIALIZER = AzureBlobRecoverableSerializer.INSTANCE;

    @Test
    void version1StateRestores() throws Exception {
        byte[] bytes = GoldenFiles.readFromOlderRelease(RESOURCES, "azure-blob-recoverable-v1.bin");

        AzureBlobRecoverable restored = SERIALIZER.deserialize(1, bytes);

        assertThat(restored).isEqualTo(fixture(null));
        assertThat(restored.hiddenName()).isNull();
        assertThat(restored.stagedBlobName()).isEqualTo("out/2026-11-24--10/part-u-41");
        assertThat(restored.blocks().ids()).isEqualTo(fixture(null).blocks().ids());
        assertThat(SERIALIZER.deserialize(SERIALIZER.getVersion(), SERIALIZER.serialize(restored))).isEqualTo(restored);
    }

    @Test
    void version2StateWithAHiddenNameRestores() throws Exception {
        AzureBlobRecoverable hidden = fixture("out/2026-11-24--10/.part-u-41.inprogress.5f0c3a52-3d1e-4a8e-9d43-1c2b3a4d5e6f");
        byte[] bytes = GoldenFiles.read(RESOURCES, "azure-blob-recoverable-v2.bin", () -> SERIALIZER.serialize(hidden));

        AzureBlobRecoverable restored = SERIALIZER.deserialize(2, bytes);

        assertThat(restored).isEqualTo(hidden);
        assertThat(restored.stagedBlobName()).isEqualTo(hidden.hiddenName());
        assertThat(SERIALIZER.serialize(restored)).isEqualTo(bytes);
    }

    @Test
    void version2StateWithoutAHiddenNameRoundTrips() throws Exception {
        AzureBlobRecoverable plain = fixture(null);
        assertThat(SERIALIZER.deserialize(2, SERIALIZER.serialize(plain))).isEqualTo(plain);
    }

    /** Two incarnations of the blob: three blocks staged before a restore, two after it. */
    private static AzureBlobRecoverable fixture(String hiddenName) {
        BlockList blocks = BlockList.of(List.of(
                new BlockList.Run("a1b2c3d4e5f60718293a4b5c6d7e8f90", 0, 3),
                new BlockList.Run("0f1e2d3c4b5a69788796a5b4c3d2e1f0", 3, 2)));
        return new AzureBlobRecoverable("golden-container", "out/2026-11-24--10/part-u-41", hiddenName, blocks, 12_345L);
    }
}
