package dev.filesink.takeover;

import dev.filesink.testing.MiniHdfs;

import org.apache.flink.core.fs.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import java.util.UUID;

/** Flink's FileSink state on HDFS (an in-process MiniDFSCluster), taken over by ours. */
class HdfsFlinkStateTakeoverTest extends FlinkStateTakeoverContract {

    @TempDir static java.nio.file.Path hdfsBase;

    private static MiniHdfs hdfs;

    @BeforeAll
    static void startHdfs() throws Exception {
        hdfs = MiniHdfs.start(hdfsBase);
    }

    @AfterAll
    static void stopHdfs() {
        if (hdfs != null) {
            hdfs.close();
        }
    }

    @Override
    protected Path basePath() {
        return new Path(hdfs.uri() + "/takeover-" + UUID.randomUUID());
    }
}
