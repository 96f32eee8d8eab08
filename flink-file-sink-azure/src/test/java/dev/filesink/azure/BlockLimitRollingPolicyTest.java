package dev.filesink.azure;

import dev.filesink.rollingpolicies.DefaultRollingPolicy;
import dev.filesink.rollingpolicies.OnCheckpointRollingPolicy;

import org.apache.flink.api.common.serialization.SimpleStringEncoder;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.functions.sink.filesystem.PartFileInfo;
import org.apache.flink.util.InstantiationUtil;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BlockLimitRollingPolicyTest {

    private static final PartFileInfo<String> NOT_AZURE = new PartFileInfo<>() {
        @Override
        public String getBucketId() {
            return "b";
        }

        @Override
        public long getCreationTime() {
            return 0;
        }

        @Override
        public long getSize() {
            return 10;
        }

        @Override
        public long getLastUpdateTime() {
            return 0;
        }
    };

    @Test
    void delegatesToTheWrappedPolicyAndSurvivesSerialization() throws Exception {
        BlockLimitRollingPolicy<String> policy =
                BlockLimitRollingPolicy.wrap(DefaultRollingPolicy.builder().withMaxPartSize(5).build());
        assertThat(policy.shouldRollOnEvent(NOT_AZURE, "x")).isTrue();
        BlockLimitRollingPolicy<String> never =
                InstantiationUtil.clone(BlockLimitRollingPolicy.wrap(DefaultRollingPolicy.builder().build()));
        assertThat(never.shouldRollOnEvent(NOT_AZURE, "x")).isFalse();
        assertThat(never.shouldRollOnCheckpoint(NOT_AZURE)).isFalse();
        assertThat(BlockLimitRollingPolicy.wrap(never)).isSameAs(never);
    }

    @Test
    void azureBuildersWrapTheRollingPolicyAndKeepBulkChecks() {
        AzureBlobStorage storage = AzureBlobStorage.to(AzureBlobDestination.builder().accountKey("a2V5a2V5").build());
        Path base = new Path("abfss://events@myacct.dfs.core.windows.net/raw");
        var rowSink = AzureFileSink.forRowFormat(base, new SimpleStringEncoder<String>(), storage).build();
        assertThat(rowSink.writerSettings().rollingPolicy()).isInstanceOf(BlockLimitRollingPolicy.class);
        assertThat(rowSink.writerSettings().storage()).isSameAs(storage);

        var bulkSink = AzureFileSink.<String>forBulkFormat(base, out -> null, storage)
                .withRollingPolicy(OnCheckpointRollingPolicy.build()).build();
        assertThat(bulkSink.writerSettings().rollingPolicy()).isInstanceOf(BlockLimitRollingPolicy.class);
    }
}
