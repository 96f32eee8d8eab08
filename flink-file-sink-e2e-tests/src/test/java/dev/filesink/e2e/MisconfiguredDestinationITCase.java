package dev.filesink.e2e;

import dev.filesink.e2e.cluster.CliResult;
import dev.filesink.e2e.cluster.ClusterSpec;
import dev.filesink.e2e.junit.FlinkClusterExtension;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scenario 5: a job whose destination is misconfigured fails at start, and the CLI output says what is wrong
 * (which path, bucket or container) rather than only "job failed".
 */
class MisconfiguredDestinationITCase {

    @RegisterExtension
    static final FlinkClusterExtension FLINK =
            new FlinkClusterExtension(ClusterSpec.create().taskManagers(1).slotsPerTaskManager(2));

    @Test
    void unwritableLocalFolderFailsAtStartNamingThePath() throws Exception {
        // Tests may run as root, which may write anywhere: a folder below a regular file is unwritable for everyone.
        Path file = Files.writeString(FLINK.newFolder("unwritable").resolve("a-file"), "not a folder");
        Path destination = file.resolve("output");

        CliResult run = runFailing(ExampleJobArgs.create().destination(destination.toUri()).records(1_000));

        assertThat(run.output()).contains("not writable").contains(destination.toString());
        assertThat(Files.exists(destination)).isFalse();
    }

    @Test
    void unsupportedDestinationIsRejectedBeforeSubmission() {
        CliResult run = runFailing(ExampleJobArgs.create().destination("ftp://example.invalid/out").records(1_000));
        assertThat(run.output()).contains("unsupported destination 'ftp://example.invalid/out'");
        assertThat(run.output()).doesNotContain("Job has been submitted");
    }

    @Test
    void badOptionIsNamed() {
        CliResult run = runFailing(ExampleJobArgs.create().set("records", "many"));
        assertThat(run.output()).contains("Option --records: 'many' is not a whole number");
    }

    /** Runs the job attached, without restarts, and expects the CLI to fail within a minute. */
    private static CliResult runFailing(ExampleJobArgs args) {
        List<String> jobArgs = args.set("restart-attempts", 0).toList();
        long start = System.nanoTime();
        CliResult run = FLINK.cluster().cli().runAttached(1, jobArgs, Duration.ofMinutes(2));
        assertThat(run.exitCode()).as("%s", run).isNotIn(0, -1);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("time to fail").isLessThan(Duration.ofSeconds(60));
        return run;
    }
}
