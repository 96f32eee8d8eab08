package dev.filesink.takeover;

import org.apache.flink.core.fs.Path;
import org.junit.jupiter.api.io.TempDir;

/** Flink's FileSink state on local files, taken over by ours. */
class LocalFlinkStateTakeoverTest extends FlinkStateTakeoverContract {

    @TempDir java.nio.file.Path dir;

    @Override
    protected Path basePath() {
        return new Path(dir.toUri());
    }
}
