package dev.filesink.e2e;

import dev.filesink.e2e.cluster.CliResult;
import dev.filesink.e2e.cluster.ClusterSpec;
import dev.filesink.e2e.junit.FlinkClusterExtension;
import dev.filesink.e2e.cluster.FlinkCli;
import dev.filesink.e2e.servers.AzuriteServer;
import dev.filesink.e2e.servers.S3TestServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scenario 5: a job whose destination is misconfigured fails at start, and the CLI output says what is wrong
 * (which path, bucket or container) rather than only "job failed".
 */
class MisconfiguredDestinationITCase {

    @RegisterExtension
    static final FlinkClusterExtension FLINK = new FlinkClusterExtension(ClusterSpec.create()
            .taskManagers(1).slotsPerTaskManager(2)
            .environment(S3TestServer.credentialsEnvironment()));

    private static S3TestServer s3;
    private static AzuriteServer azurite;

    @BeforeAll
    static void startServers() throws Exception {
        s3 = S3TestServer.start();
        s3.createBucket("existing");
        azurite = AzuriteServer.start(FLINK.cluster().logDir());
        azurite.createContainer("existing");
    }

    @AfterAll
    static void stopServers() throws Exception {
        if (s3 != null) {
            s3.close();
        }
        if (azurite != null) {
            azurite.close();
        }
    }

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
    void missingS3BucketFailsAtStartNamingTheBucket() {
        CliResult run = runFailing(ExampleJobArgs.create().destination("s3://no-such-bucket/out").records(1_000)
                .set("filesink.s3.endpoint", s3.endpoint()).set("filesink.s3.path-style-access", true));

        assertThat(run.output()).contains("S3 bucket 'no-such-bucket'").contains("does not exist");
        assertThat(run.output()).doesNotContain(S3TestServer.SECRET_KEY);
    }

    @Test
    void wrongS3CredentialsFailAtStartWithoutShowingTheSecret() throws Exception {
        String secret = "wrong-secret-that-must-never-be-printed";
        Path profiles = Files.writeString(FLINK.newFolder("aws").resolve("credentials"),
                "[wrong]\naws_access_key_id = wrong-access-key\naws_secret_access_key = " + secret + "\n");
        CliResult run = runFailing(ExampleJobArgs.create().destination("s3://existing/out").records(1_000)
                .set("filesink.s3.endpoint", s3.endpoint()).set("filesink.s3.path-style-access", true)
                .set("filesink.s3.credentials.provider", "profile")
                .set("filesink.s3.credentials.profile", "wrong")
                .set("filesink.s3.credentials.profile-file", profiles));

        assertThat(run.output()).contains("S3 bucket 'existing'").containsIgnoringCase("denied");
        assertThat(run.output()).doesNotContain(secret);
        assertThat(FLINK.cluster().logTails(100_000)).as("cluster logs").doesNotContain(secret);
        assertThat(s3.finishedObjects("existing", "out/")).isEmpty();
    }

    @Test
    void missingAzureContainerFailsAtStartNamingTheContainer() {
        FlinkCli cli = FLINK.cluster().cli().withConfig(Map.of("filesink.azure.secret.account-key", AzuriteServer.KEY));
        CliResult run = runFailing(cli, ExampleJobArgs.create()
                .destination(azurite.destination("no-such-container", "out")).records(1_000));

        assertThat(run.output()).contains("no-such-container").containsIgnoringCase("does not exist");
        assertThat(run.output()).doesNotContain(AzuriteServer.KEY);
    }

    @Test
    void wrongAzureKeyFailsAtStartWithoutShowingTheKey() throws Exception {
        String wrongKey = java.util.Base64.getEncoder().encodeToString("a-wrong-account-key-never-printed".getBytes());
        FlinkCli cli = FLINK.cluster().cli().withConfig(Map.of("filesink.azure.secret.account-key", wrongKey));
        CliResult run = runFailing(cli, ExampleJobArgs.create()
                .destination(azurite.destination("existing", "out")).records(1_000));

        assertThat(run.output()).contains("existing").containsAnyOf("authoriz", "Authoriz", "authentic", "Authentic", "denied");
        assertThat(run.output()).doesNotContain(wrongKey);
        assertThat(FLINK.cluster().logTails(100_000)).as("cluster logs").doesNotContain(wrongKey);
        assertThat(azurite.committedBlobs("existing", "out/")).isEmpty();
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

    private static CliResult runFailing(ExampleJobArgs args) {
        return runFailing(FLINK.cluster().cli(), args);
    }

    /** Runs the job attached, without restarts, and expects the CLI to fail within a minute. */
    private static CliResult runFailing(FlinkCli cli, ExampleJobArgs args) {
        List<String> jobArgs = args.set("restart-attempts", 0).toList();
        long start = System.nanoTime();
        CliResult run = cli.runAttached(1, jobArgs, Duration.ofMinutes(2));
        assertThat(run.exitCode()).as("%s", run).isNotIn(0, -1);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("time to fail").isLessThan(Duration.ofSeconds(60));
        return run;
    }
}
