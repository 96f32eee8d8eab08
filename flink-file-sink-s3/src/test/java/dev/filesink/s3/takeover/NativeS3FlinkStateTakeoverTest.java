package dev.filesink.s3.takeover;

import dev.filesink.s3.testing.FlinkS3Plugin;

import org.junit.jupiter.api.BeforeAll;

/** Flink's FileSink state on {@code flink-s3-fs-native}, taken over by ours. */
class NativeS3FlinkStateTakeoverTest extends FlinkS3StateTakeoverContract {

    @BeforeAll
    static void startServerAndPlugin() throws Exception {
        start(server -> {
            try {
                return FlinkS3Plugin.nativeOn(server);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }
}
