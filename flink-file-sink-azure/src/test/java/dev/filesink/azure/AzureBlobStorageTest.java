package dev.filesink.azure;

import dev.filesink.FileSink;
import dev.filesink.rollingpolicies.DefaultRollingPolicy;
import dev.filesink.rollingpolicies.OnCheckpointRollingPolicy;

import org.apache.flink.api.common.serialization.SimpleStringEncoder;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.functions.sink.filesystem.RollingPolicy;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Azure storage goes into the core builders like any storage: the rolling policy is used as given. */
class AzureBlobStorageTest {

    private final AzureBlobStorage storage =
            AzureBlobStorage.of(AzureBlobDestination.builder().accountKey("a2V5a2V5").build());
    private final Path base = new Path("abfss://events@myacct.dfs.core.windows.net/raw");

    @Test
    void buildersSetTheStorageAndKeepTheRollingPolicy() {
        RollingPolicy<String, String> policy = DefaultRollingPolicy.builder().withMaxPartSize(5).build();
        var rowSink = FileSink.forRowFormat(base, new SimpleStringEncoder<String>()).withStorage(storage)
                .withRollingPolicy(policy)
                .build();
        assertThat(rowSink.writerSettings().storage()).isSameAs(storage);
        assertThat(rowSink.writerSettings().rollingPolicy()).isSameAs(policy);

        var bulkSink = FileSink.<String>forBulkFormat(base, out -> null).withStorage(storage)
                .withRollingPolicy(OnCheckpointRollingPolicy.build())
                .build();
        assertThat(bulkSink.writerSettings().storage()).isSameAs(storage);
    }

    @Test
    void theBulkBuilderStillRejectsAPolicyThatDoesNotRollOnCheckpoints() {
        assertThatThrownBy(() -> FileSink.<String>forBulkFormat(base, out -> null).withStorage(storage)
                        .withRollingPolicy(DefaultRollingPolicy.builder().build())
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rolls on every checkpoint");
    }
}
