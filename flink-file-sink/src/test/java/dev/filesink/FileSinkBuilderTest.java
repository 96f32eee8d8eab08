package dev.filesink;

import dev.filesink.rollingpolicies.DefaultRollingPolicy;
import dev.filesink.rollingpolicies.OnCheckpointRollingPolicy;
import dev.filesink.rollingpolicies.SizeTimeCheckpointRollingPolicy;

import org.apache.flink.api.common.serialization.BulkWriter;
import org.apache.flink.api.common.serialization.SimpleStringEncoder;
import org.apache.flink.core.fs.Path;
import org.apache.flink.util.InstantiationUtil;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FileSinkBuilderTest {

    private static final Path BASE = new Path("file:///tmp/out");
    private static final BulkWriter.Factory<String> BULK = out -> null;

    @Test
    void invalidArgumentsFailAtBuildNamingTheOption() {
        assertBuildFails(FileSink.forRowFormat(null, new SimpleStringEncoder<String>()), "basePath");
        assertBuildFails(FileSink.forRowFormat(BASE, (org.apache.flink.api.common.serialization.Encoder<String>) null), "encoder");
        assertBuildFails(FileSink.forBulkFormat(BASE, (BulkWriter.Factory<String>) null), "writerFactory");
        assertBuildFails(rows().withBucketCheckInterval(-5), "bucketCheckInterval");
        assertBuildFails(rows().withBucketAssigner(null), "bucketAssigner");
        assertBuildFails(rows().withOutputFileConfig(null), "outputFileConfig");
        assertBuildFails(rows().withWriteBufferSize(0), "writeBufferSize");
        assertBuildFails(rows().withCommitParallelism(0), "commitParallelism");
        assertBuildFails(rows().withMaxOpenPartFiles(-1), "maxOpenPartFiles");
        assertBuildFails(rows().withMaxBufferedBytes(-1), "maxBufferedBytes");
        assertThatThrownBy(() -> rows().withCommitRetries(0, Duration.ZERO, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxAttempts");
    }

    @Test
    void bulkFormatsNeedAPolicyThatRollsOnCheckpoint() {
        assertBuildFails(FileSink.forBulkFormat(BASE, BULK).withRollingPolicy(DefaultRollingPolicy.builder().build()),
                "rollingPolicy");
        assertThat(FileSink.forBulkFormat(BASE, BULK).withRollingPolicy(OnCheckpointRollingPolicy.build()).build())
                .isNotNull();
        assertThat(FileSink.forBulkFormat(BASE, BULK)
                .withRollingPolicy(new SizeTimeCheckpointRollingPolicy<>(1 << 20, 0, Duration.ofMinutes(1))).build())
                .isNotNull();
        // Flink's own policy classes are accepted as they are.
        assertThat(FileSink.forBulkFormat(BASE, BULK).withRollingPolicy(
                org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.OnCheckpointRollingPolicy.build())
                .build()).isNotNull();
    }

    @Test
    void theBuiltSinkIsSerializable() throws Exception {
        FileSink<String> sink = rows().build();
        FileSink<String> copy = InstantiationUtil.clone(sink);
        assertThat(copy.writerSettings().basePath()).isEqualTo(BASE);
        assertThat(copy.writerSettings().writeBufferSize()).isEqualTo(64 * 1024);
    }

    private static FileSink.DefaultRowFormatBuilder<String> rows() {
        return FileSink.forRowFormat(BASE, new SimpleStringEncoder<>());
    }

    private static void assertBuildFails(FileSink.BucketsBuilder<String, ?> builder, String option) {
        assertThatThrownBy(builder::build).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(option);
    }
}
