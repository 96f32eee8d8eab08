package dev.filesink.azure;

import dev.filesink.rollingpolicies.DefaultRollingPolicy;
import dev.filesink.rollingpolicies.OnCheckpointRollingPolicy;

import org.apache.flink.api.common.serialization.SimpleStringEncoder;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.functions.sink.filesystem.RollingPolicy;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Azure builders are the core builders with the storage set: the rolling policy is used as given. */
class AzureFileSinkTest {

    private final AzureBlobStorage storage =
            AzureBlobStorage.to(AzureBlobDestination.builder().accountKey("a2V5a2V5").build());
    private final Path base = new Path("abfss://events@myacct.dfs.core.windows.net/raw");

    @Test
    void buildersSetTheStorageAndKeepTheRollingPolicy() {
        RollingPolicy<String, String> policy = DefaultRollingPolicy.builder().withMaxPartSize(5).build();
        var rowSink = AzureFileSink.forRowFormat(base, new SimpleStringEncoder<String>(), storage)
                .withRollingPolicy(policy)
                .build();
        assertThat(rowSink.writerSettings().storage()).isSameAs(storage);
        assertThat(rowSink.writerSettings().rollingPolicy()).isSameAs(policy);

        var bulkSink = AzureFileSink.<String>forBulkFormat(base, out -> null, storage)
                .withRollingPolicy(OnCheckpointRollingPolicy.build())
                .build();
        assertThat(bulkSink.writerSettings().storage()).isSameAs(storage);
    }

    @Test
    void theBulkBuilderStillRejectsAPolicyThatDoesNotRollOnCheckpoints() {
        assertThatThrownBy(() -> AzureFileSink.<String>forBulkFormat(base, out -> null, storage)
                        .withRollingPolicy(DefaultRollingPolicy.builder().build())
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rolls on every checkpoint");
    }
}
