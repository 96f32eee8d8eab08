package dev.filesink.azure.writer;

import dev.filesink.testing.GoldenFiles;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Azure blob recoverables in checkpoints written by version 1 of the serializer keep restoring (see {@link GoldenFiles}). */
class AzureBlobRecoverableSerializerCompatibilityTest {

    private static final Path RESOURCES = Path.of("src/test/resources/serialized");

    @Test
    void version1StateRestores() throws Exception {
        AzureBlobRecoverableSerializer serializer = AzureBlobRecoverableSerializer.INSTANCE;
        byte[] bytes = GoldenFiles.read(RESOURCES, "azure-blob-recoverable-v1.bin", () -> serializer.serialize(fixture()));

        AzureBlobRecoverable restored = serializer.deserialize(1, bytes);

        assertThat(restored.container()).isEqualTo("golden-container");
        assertThat(restored.blobName()).isEqualTo("out/2026-11-24--10/part-u-41");
        assertThat(restored.length()).isEqualTo(12_345L);
        assertThat(restored.blocks().size()).isEqualTo(5);
        assertThat(restored.blocks().ids()).isEqualTo(fixture().blocks().ids());
        assertThat(serializer.serialize(restored)).isEqualTo(bytes);
    }

    /** Two incarnations of the blob: three blocks staged before a restore, two after it. */
    private static AzureBlobRecoverable fixture() {
        BlockList blocks = BlockList.of(List.of(
                new BlockList.Run("a1b2c3d4e5f60718293a4b5c6d7e8f90", 0, 3),
                new BlockList.Run("0f1e2d3c4b5a69788796a5b4c3d2e1f0", 3, 2)));
        return new AzureBlobRecoverable("golden-container", "out/2026-11-24--10/part-u-41", blocks, 12_345L);
    }
}
