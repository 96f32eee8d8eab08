package dev.filesink.e2e.demo;

import dev.filesink.e2e.ExampleJobArgs;
import dev.filesink.e2e.cluster.CliResult;
import dev.filesink.e2e.cluster.ClusterSpec;
import dev.filesink.e2e.cluster.FlinkDistribution;
import dev.filesink.e2e.cluster.LocalFlinkCluster;
import dev.filesink.e2e.servers.AzuriteServer;
import dev.filesink.e2e.servers.S3TestServer;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The demo of {@code tools/demo.sh}: a real Flink session cluster on this machine, a loopback S3 server (s3proxy)
 * and Azurite; the example job's fat jar submitted with Flink's CLI to a local folder, to S3 and to Azure; then the
 * finished part files of each. With {@code --keep-running} everything stays up until Enter is pressed.
 */
public final class Demo {

    private static final String BUCKET = "demo";
    private static final String CONTAINER = "demo";

    private Demo() {}

    public static void main(String[] args) throws Exception {
        Path home = Path.of(args.length > 0 && !args[0].startsWith("--") ? args[0] : "target/demo").toAbsolutePath();
        boolean keepRunning = List.of(args).contains("--keep-running");
        Files.createDirectories(home);

        step("Starting a loopback S3 server (s3proxy) and Azurite");
        try (S3TestServer s3 = S3TestServer.start();
                AzuriteServer azurite = AzuriteServer.start(home.resolve("servers"))) {
            s3.createBucket(BUCKET);
            azurite.createContainer(CONTAINER);
            System.out.println("  S3:    " + s3.endpoint() + " (bucket '" + BUCKET + "')");
            System.out.println("  Azure: " + azurite.endpoint() + " (container '" + CONTAINER + "')");

            step("Starting a Flink session cluster: 1 JobManager, 1 TaskManager with 2 slots, in " + home.resolve("cluster"));
            ClusterSpec spec = ClusterSpec.create().taskManagers(1).slotsPerTaskManager(2)
                    .environment(S3TestServer.credentialsEnvironment())
                    .set("filesink.azure.secret.account-key", AzuriteServer.KEY);
            try (LocalFlinkCluster cluster = LocalFlinkCluster.start(FlinkDistribution.fromBuild(), spec, home.resolve("cluster"))) {
                System.out.println("  REST API: http://127.0.0.1:" + cluster.rest().port() + "  logs: " + cluster.logDir());

                Path local = home.resolve("local-output");
                run(cluster, "a local folder", ExampleJobArgs.create().destination(local.toUri()));
                run(cluster, "S3", ExampleJobArgs.create().destination("s3://" + BUCKET + "/example")
                        .set("filesink.s3.endpoint", s3.endpoint()).set("filesink.s3.path-style-access", true));
                printFiles("Objects in s3://" + BUCKET + "/example/", s3.finishedObjects(BUCKET, "example/"));
                run(cluster, "Azure Blob Storage (Azurite)",
                        ExampleJobArgs.create().destination(azurite.destination(CONTAINER, "example")));
                printFiles("Blobs in container '" + CONTAINER + "' below example/", azurite.committedBlobs(CONTAINER, "example/"));

                if (keepRunning) {
                    step("Everything keeps running; submit more jobs with FLINK_CONF_DIR=" + cluster.confDir()
                            + " and Flink's CLI (see docs/e2e.md). Press Enter to stop.");
                    new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
                }
                step("Stopping the cluster and the servers");
            }
        }
    }

    private static void run(LocalFlinkCluster cluster, String what, ExampleJobArgs args) {
        step("flink run example.jar -> " + what);
        CliResult result = cluster.cli().runAttached(2, args
                .records(30_000).rate(5_000).checkpointInterval("2s").set("max-part-size", "256kb").toList(),
                Duration.ofMinutes(3));
        System.out.println(result.output().strip().indent(2));
        if (!result.succeeded()) {
            throw new IllegalStateException("The job to " + what + " failed; see the output above and " + cluster.logDir());
        }
    }

    private static void printFiles(String title, Map<String, Long> files) {
        System.out.println("  " + title + ":");
        files.forEach((name, size) -> System.out.printf("  %,12d  %s%n", size, name));
        System.out.printf("  %,d finished part files%n", files.size());
    }

    private static void step(String message) {
        System.out.println();
        System.out.println("==> " + message);
    }
}
