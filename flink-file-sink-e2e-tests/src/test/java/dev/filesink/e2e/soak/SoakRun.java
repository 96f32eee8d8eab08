package dev.filesink.e2e.soak;

import dev.filesink.e2e.Await;
import dev.filesink.e2e.ExampleJobArgs;
import dev.filesink.e2e.FinishedFilesGuard;
import dev.filesink.e2e.cluster.ClusterSpec;
import dev.filesink.e2e.cluster.FlinkDistribution;
import dev.filesink.e2e.cluster.LocalFlinkCluster;
import dev.filesink.e2e.servers.AzuriteServer;
import dev.filesink.e2e.servers.S3TestServer;
import dev.filesink.e2e.servers.ZooKeeperServer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The soak run of {@code tools/soak.sh} (issue 16): not a test of {@code mvn verify}. A standalone Flink cluster with
 * ZooKeeper HA (two JobManagers) and three TaskManagers runs two example jobs, one writing to S3 (s3proxy) and one
 * to Azure (Azurite), each through a {@link StorageFaultProxy}, for the given minutes: first a quiet phase, then the
 * {@link ChaosDriver}'s faults. Then both jobs are stopped with {@code --drain}, every record is read back and the
 * stores are listed for leftovers; the report goes to stdout and to the report file. Exit code 1 if a check failed.
 *
 * <pre>SoakRun --work-dir DIR [--minutes 20] [--seed N] [--report FILE] [--quiet-seconds S] [--rate PER_JOB]
 *         [--pause-seconds 15-45]</pre>
 */
public final class SoakRun {

    private static final int TASK_MANAGERS = 3;
    private static final int JOB_MANAGERS = 2;

    private SoakRun() {}

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = options(argv);
        int minutes = Integer.parseInt(args.getOrDefault("minutes", "20"));
        long seed = args.containsKey("seed") ? Long.parseLong(args.get("seed")) : new Random().nextLong();
        int quietSeconds = Integer.parseInt(args.getOrDefault("quiet-seconds",
                String.valueOf(Math.min(120, minutes * 60 / 5))));
        long rate = Long.parseLong(args.getOrDefault("rate", "1000"));
        String[] pause = args.getOrDefault("pause-seconds", "15-45").split("-");
        Duration minPause = Duration.ofSeconds(Long.parseLong(pause[0]));
        Duration maxPause = Duration.ofSeconds(Long.parseLong(pause[1]));
        Path home = Path.of(args.getOrDefault("work-dir", "target/soak")).toAbsolutePath();
        Path reportFile = Path.of(args.getOrDefault("report", home.resolve("soak-report.md").toString())).toAbsolutePath();
        String commit = System.getProperty("soak.commit", "unknown");
        System.out.printf("Soak run: %d minutes, seed %d (rerun the same fault sequence with --seed %d), work dir %s%n",
                minutes, seed, seed, home);
        Files.createDirectories(home);

        boolean passed;
        try (ZooKeeperServer zooKeeper = ZooKeeperServer.start(home.resolve("zookeeper"));
                S3TestServer s3 = S3TestServer.start();
                AzuriteServer azurite = AzuriteServer.start(home.resolve("servers"))) {
            S3SoakStore s3Store = new S3SoakStore(s3);
            AzureSoakStore azureStore = new AzureSoakStore(azurite);
            ClusterSpec spec = ClusterSpec.create()
                    .zooKeeperHighAvailability(zooKeeper::quorum, JOB_MANAGERS)
                    .taskManagers(0).slotsPerTaskManager(2) // started once the JobManagers are up: see startCluster
                    .environment(S3TestServer.credentialsEnvironment())
                    .set("filesink.azure.secret.account-key", AzuriteServer.KEY)
                    .set("web.exception-history-size", "500")
                    // Other builds may load the machine: RPC calls that take more than 10 s must not fail the job.
                    .set("pekko.ask.timeout", "30 s");
            try (LocalFlinkCluster cluster = startCluster(spec, home);
                    StorageFaultProxy s3Proxy = s3Store.proxy();
                    StorageFaultProxy azureProxy = azureStore.proxy()) {
                System.out.println("Cluster up: REST http://127.0.0.1:" + cluster.rest().port() + ", logs " + cluster.logDir());
                passed = soak(cluster, List.of(s3Store, azureStore), minutes, seed, quietSeconds, rate, commit, home, reportFile,
                        minPause, maxPause);
            }
        }
        System.exit(passed ? 0 : 1);
    }

    private static boolean soak(LocalFlinkCluster cluster, List<SoakStore> stores, int minutes, long seed,
            int quietSeconds, long rate, String commit, Path home, Path reportFile, Duration minPause, Duration maxPause)
            throws Exception {
        List<SoakJob> jobs = new ArrayList<>();
        List<String> jobDescriptions = new ArrayList<>();
        for (SoakStore store : stores) {
            ExampleJobArgs args = store.args(ExampleJobArgs.create()
                    .records(SoakJob.RECORDS).rate(rate).checkpointInterval("3s")
                    .set("max-part-size", "256kb").set("rollover-interval", "10s")
                    .set("restart-attempts", 1_000_000).set("restart-delay", "1s")
                    .set("job-name", "soak-" + store.name()));
            jobs.add(new SoakJob(store, args, 2));
            jobDescriptions.add(String.format("to %s (%s through its fault proxy), %,d records/s, checkpoints every 3 s, "
                    + "parts rolled at 256 KB or 10 s, parallelism 2, after the rescale %d", store.name(),
                    store.destination(), rate, rescaleTarget(store)));
        }
        int[] rescaleTo = jobs.stream().mapToInt(j -> rescaleTarget(j.store())).toArray();

        long startMillis = System.currentTimeMillis();
        for (SoakJob job : jobs) {
            job.submit(cluster);
        }
        for (SoakJob job : jobs) {
            // Generous: the machine may be loaded by other builds.
            Await.until("the first finished files of the " + job.name() + " job", Duration.ofMinutes(5),
                    () -> !job.store().finished().isEmpty(), () -> "it is " + cluster.rest().jobState(job.jobId()));
        }
        List<FinishedFilesGuard> guards = new ArrayList<>();
        for (SoakStore store : stores) {
            guards.add(new FinishedFilesGuard(store.name(), store::finished, Duration.ofSeconds(1)));
        }
        SoakMonitor monitor = new SoakMonitor(cluster.rest(), jobs, Math.max(15_000, minutes * 3_000L));
        // The quiet phase starts once both jobs commit files, so that it measures the running jobs.
        long quietStart = System.currentTimeMillis();
        long chaosStart = quietStart + quietSeconds * 1000L;
        long end = startMillis + minutes * 60_000L;
        System.out.printf("Jobs running (%s); quiet until minute %.1f, then faults until minute %d%n",
                String.join(", ", jobs.stream().map(j -> j.name() + " " + j.jobId()).toList()),
                quietSeconds / 60.0, minutes);
        Thread.sleep(Math.max(0, chaosStart - System.currentTimeMillis()));

        ChaosDriver chaos = new ChaosDriver(cluster, jobs, monitor, seed, home.resolve("savepoints"), rescaleTo,
                minPause, maxPause);
        chaos.run(end, chaosStart + (end - chaosStart) / 2);
        long chaosEnd = System.currentTimeMillis();

        System.out.println("Faults over; making sure the cluster is whole and both jobs checkpoint, then draining");
        while (cluster.runningTaskManagers().size() < TASK_MANAGERS) {
            cluster.startTaskManager();
        }
        while (cluster.runningJobManagers().size() < JOB_MANAGERS) {
            ChaosDriver.startJobManager(cluster);
        }
        long settled = System.currentTimeMillis();
        Await.until("a checkpoint of every job after the faults", Duration.ofMinutes(5),
                () -> monitor.recoveredAt(settled, jobs.stream().map(SoakJob::name).toList()) >= 0);
        Thread.sleep(Math.max(0, end - System.currentTimeMillis()));
        for (SoakJob job : jobs) {
            job.stopWithSavepoint(cluster, home.resolve("savepoints"), true);
        }
        long endMillis = System.currentTimeMillis();
        Thread.sleep(3_000); // the monitor's last samples
        monitor.close();

        List<SoakReport.StoreResult> results = new ArrayList<>();
        for (int i = 0; i < jobs.size(); i++) {
            SoakJob job = jobs.get(i);
            List<String> violations = guards.get(i).violations();
            results.add(new SoakReport.StoreResult(job.name(), job.store().finished().size(),
                    SequenceCheck.check(job.store().lines(), SequenceCheck.splits(SoakJob.RECORDS, job.firstParallelism())),
                    job.store().leftovers(), violations, job.jobIds()));
        }
        String clusterShape = String.format("standalone Flink %s cluster of separate processes, ZooKeeper HA with %d "
                + "JobManagers, %d TaskManagers x 2 slots (1024 MB process size each)", "2.3", JOB_MANAGERS, TASK_MANAGERS);
        SoakReport.Setup setup = new SoakReport.Setup(commit, seed, minutes, quietSeconds, rate, clusterShape,
                jobDescriptions, startMillis, quietStart, chaosStart, chaosEnd, endMillis);
        String report = SoakReport.markdown(setup, results, chaos.events(), monitor);
        System.out.println();
        System.out.println(report);
        Files.createDirectories(reportFile.getParent());
        Files.writeString(reportFile, report, StandardCharsets.UTF_8);
        System.out.println("Report written to " + reportFile + "; cluster logs in " + cluster.logDir());
        return SoakReport.passed(results, chaos.events());
    }

    /**
     * On a machine loaded by other builds a JobManager's actor system may miss Pekko's fixed 10 s remoting start-up
     * timeout and the process exits: the JobManagers start first, alone, then the TaskManagers; and if that fails,
     * the cluster starts afresh, up to three times.
     */
    private static LocalFlinkCluster startCluster(ClusterSpec spec, Path home) throws Exception {
        for (int attempt = 1; ; attempt++) {
            LocalFlinkCluster cluster = null;
            try {
                cluster = LocalFlinkCluster.start(FlinkDistribution.fromBuild(), spec, home.resolve("cluster-" + attempt));
                for (int i = 0; i < TASK_MANAGERS; i++) {
                    cluster.startTaskManager();
                }
                cluster.awaitTaskManagers(TASK_MANAGERS);
                return cluster;
            } catch (IllegalStateException e) {
                if (cluster != null) {
                    cluster.close();
                }
                if (attempt == 3) {
                    throw e;
                }
                System.out.println("The cluster did not start (attempt " + attempt + "), starting it again: "
                        + e.getMessage().lines().findFirst().orElse(""));
            }
        }
    }

    /** S3 goes up (2 -> 3), Azure down (2 -> 1): both directions, and the 6 slots still leave room for a TM kill. */
    private static int rescaleTarget(SoakStore store) {
        return store.name().equals("s3") ? 3 : 1;
    }

    private static Map<String, String> options(String[] argv) {
        Map<String, String> options = new java.util.HashMap<>();
        for (int i = 0; i < argv.length; i++) {
            if (!argv[i].startsWith("--") || i + 1 >= argv.length) {
                throw new IllegalArgumentException("Expected --name value pairs, got '" + argv[i] + "'. Options: "
                        + "--work-dir DIR --minutes N --seed N --report FILE --quiet-seconds S --rate PER_JOB --pause-seconds MIN-MAX");
            }
            options.put(argv[i].substring(2), argv[++i]);
        }
        return options;
    }
}
