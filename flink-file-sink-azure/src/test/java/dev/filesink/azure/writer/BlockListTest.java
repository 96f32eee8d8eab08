package dev.filesink.azure.writer;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BlockListTest {

    @Test
    void idsAreUniqueOfEqualLengthAndInOrderAcrossIncarnations() {
        String first = BlockList.newIncarnation();
        String second = BlockList.newIncarnation();
        BlockList blocks = BlockList.empty();
        for (int i = 0; i < 5; i++) {
            blocks = blocks.append(first);
        }
        for (int i = 0; i < 3; i++) {
            blocks = blocks.append(second);
        }
        List<String> ids = blocks.ids();
        assertThat(ids).hasSize(8);
        assertThat(new HashSet<>(ids)).hasSize(8);
        assertThat(ids.stream().map(String::length).distinct()).containsExactly(ids.get(0).length());
        assertThat(ids.get(0).length()).isLessThanOrEqualTo(64);
        assertThat(new String(Base64.getDecoder().decode(ids.get(6)), StandardCharsets.US_ASCII))
                .isEqualTo(second + "-0000000006");
        assertThat(blocks.runs()).hasSize(2);
        assertThat(blocks.idAt(6)).isEqualTo(ids.get(6));
    }

    @Test
    void serializesAsRunsAndReadsBack() throws Exception {
        BlockList blocks = BlockList.empty();
        String incarnation = BlockList.newIncarnation();
        for (int i = 0; i < 50_000; i++) {
            blocks = blocks.append(incarnation);
        }
        AzureBlobRecoverable file = new AzureBlobRecoverable("events", "raw/part-0", blocks, 123_456_789L);
        byte[] bytes = AzureBlobRecoverableSerializer.INSTANCE.serialize(file);
        assertThat(bytes.length).as("50,000 blocks in a few bytes").isLessThan(200);
        AzureBlobRecoverable copy = AzureBlobRecoverableSerializer.INSTANCE.deserialize(1, bytes);
        assertThat(copy).isEqualTo(file);
        assertThat(copy.blocks().ids()).isEqualTo(blocks.ids());
    }

    @Test
    void rejectsForeignState() {
        assertThatThrownBy(() -> AzureBlobRecoverableSerializer.INSTANCE.deserialize(1, new byte[] {0, 0, 0, 1, 0}))
                .hasMessageContaining("Not an Azure blob recoverable");
        assertThatThrownBy(() -> AzureBlobRecoverableSerializer.INSTANCE.deserialize(7, new byte[0]))
                .hasMessageContaining("Unknown version 7");
    }
}
