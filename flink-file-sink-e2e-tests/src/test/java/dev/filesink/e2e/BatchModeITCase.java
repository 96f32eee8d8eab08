package dev.filesink.e2e;

import dev.filesink.e2e.cluster.CliResult;
import dev.filesink.e2e.cluster.ClusterSpec;
import dev.filesink.e2e.junit.FlinkClusterExtension;
import dev.filesink.testing.FinishedFiles;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Scenario 3: BATCH mode on a cluster: when the job ends, every part file is finished, every record once. */
class BatchModeITCase {

    @RegisterExtension
    static final FlinkClusterExtension FLINK =
            new FlinkClusterExtension(ClusterSpec.create().taskManagers(1).slotsPerTaskManager(2));

    @Test
    void batchJobFinishesEveryPartFile() throws Exception {
        long records = 200_000;
        Path out = FLINK.newFolder("batch");
        CliResult run = FLINK.cluster().cli().runAttached(2, ExampleJobArgs.create()
                .destination(out.toUri()).mode("BATCH").records(records).rate(0).buckets(5)
                .set("max-part-size", "256kb").toList(), Duration.ofMinutes(3));

        assertThat(run.succeeded()).as("%s", run).isTrue();
        assertThat(run.output()).contains("in BATCH mode").contains("finished part files");
        FinishedFiles.assertExactlyOnce(out, records);
        assertThat(LocalFolder.visibleFiles(out)).hasSizeGreaterThan(10);
    }
}
