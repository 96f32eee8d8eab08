package dev.filesink;

import dev.filesink.rollingpolicies.OnCheckpointRollingPolicy;
import dev.filesink.storage.FileSystemStorage;
import dev.filesink.storage.PartFileStorage;

import org.apache.flink.api.common.SupportsConcurrentExecutionAttempts;
import org.apache.flink.api.common.serialization.BulkWriter;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.BasePathBucketAssigner;
import org.apache.flink.util.InstantiationUtil;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The bulk builder's methods that Flink's has beyond the shared ones, and the sink's declared capabilities. */
class BulkBuilderSurfaceTest {

    private static final Path BASE = new Path("file:///tmp/out");
    private static final BulkWriter.Factory<String> BULK = out -> null;

    @Test
    void disableLocalWritingAsksTheFileSystemForNoLocalReplica() throws Exception {
        FileSink<String> sink = FileSink.forBulkFormat(BASE, BULK).disableLocalWriting().build();
        assertThat(sink.writerSettings().storage()).isSameAs(FileSystemStorage.WITHOUT_LOCAL_WRITING);
        // It survives the trip to the task managers.
        FileSink<String> copy = InstantiationUtil.clone(sink);
        assertThat(copy.writerSettings().storage()).isSameAs(FileSystemStorage.WITHOUT_LOCAL_WRITING);

        assertThat(FileSink.forBulkFormat(BASE, BULK).build().writerSettings().storage())
                .isSameAs(FileSystemStorage.INSTANCE);
    }

    @Test
    void disableLocalWritingLeavesOtherStoragesAsTheyAre() {
        PartFileStorage objectStore = basePath -> {
            throw new UnsupportedOperationException();
        };
        FileSink<String> sink = FileSink.forBulkFormat(BASE, BULK).withStorage(objectStore).disableLocalWriting().build();
        assertThat(sink.writerSettings().storage()).isSameAs(objectStore);
    }

    @Test
    void withNewBucketAssignerKeepsEveryOtherOption() {
        OutputFileConfig names = OutputFileConfig.builder().withPartPrefix("p").withPartSuffix(".bin").build();
        BasePathBucketAssigner<String> assigner = new BasePathBucketAssigner<>();
        FileSink<String> sink = FileSink.forBulkFormat(BASE, BULK)
                .withOutputFileConfig(names)
                .withBucketCheckInterval(1234)
                .withWriteBufferSize(4096)
                .withMaxOpenPartFiles(7)
                .disableLocalWriting()
                .withNewBucketAssigner(assigner)
                .withRollingPolicy(OnCheckpointRollingPolicy.build())
                .build();
        assertThat(sink.writerSettings().bucketAssigner()).isSameAs(assigner);
        assertThat(sink.writerSettings().outputFileConfig()).isSameAs(names);
        assertThat(sink.writerSettings().bucketCheckInterval()).isEqualTo(1234);
        assertThat(sink.writerSettings().writeBufferSize()).isEqualTo(4096);
        assertThat(sink.writerSettings().maxOpenPartFiles()).isEqualTo(7);
        assertThat(sink.writerSettings().storage()).isSameAs(FileSystemStorage.WITHOUT_LOCAL_WRITING);

        assertThatThrownBy(() -> FileSink.forBulkFormat(BASE, BULK).withNewBucketAssigner(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bucketAssigner");
    }

    @Test
    void theSinkAllowsSpeculativeAttempts() {
        assertThat(FileSink.forBulkFormat(BASE, BULK).build()).isInstanceOf(SupportsConcurrentExecutionAttempts.class);
    }
}
