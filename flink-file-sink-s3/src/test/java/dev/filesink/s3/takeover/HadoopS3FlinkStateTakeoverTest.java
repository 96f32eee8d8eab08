package dev.filesink.s3.takeover;

import dev.filesink.s3.testing.FlinkS3Plugin;

import org.junit.jupiter.api.BeforeAll;

/** Flink's FileSink state on {@code flink-s3-fs-hadoop}, taken over by ours. */
class HadoopS3FlinkStateTakeoverTest extends FlinkS3StateTakeoverContract {

    @BeforeAll
    static void startServerAndPlugin() throws Exception {
        start(server -> {
            try {
                return FlinkS3Plugin.hadoopOn(server);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }
}
