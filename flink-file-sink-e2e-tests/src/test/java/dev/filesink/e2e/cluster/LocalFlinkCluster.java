package dev.filesink.e2e.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * A standalone Flink session cluster of real processes on 127.0.0.1, started the way Flink's scripts start one: a
 * JobManager ({@code StandaloneSessionClusterEntrypoint --configDir DIR}) and TaskManagers ({@code TaskManagerRunner
 * --configDir DIR} with the memory settings {@code BashJavaUtils GET_TM_RESOURCE_PARAMS} computes). Processes can be
 * killed (-9) and started again; {@link #close()} stops every process by its id.
 *
 * <p>The cluster's folder holds {@code conf/}, {@code log/} (one .log and one .out per process and per CLI call),
 * {@code checkpoints/}, {@code savepoints/} and {@code tmp/}.
 */
public final class LocalFlinkCluster implements AutoCloseable {

    private static final String JOB_MANAGER_MAIN =
            "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint";
    private static final String TASK_MANAGER_MAIN = "org.apache.flink.runtime.taskexecutor.TaskManagerRunner";
    private static final String BASH_JAVA_UTILS = "org.apache.flink.runtime.util.bash.BashJavaUtils";
    private static final String RESULT_PREFIX = "BASH_JAVA_UTILS_EXEC_RESULT:";
    /** How long a process may take to come up; {@code -De2e.startup.timeout.seconds} for machines under heavy load. */
    private static final Duration STARTUP_TIMEOUT =
            Duration.ofSeconds(Long.getLong("e2e.startup.timeout.seconds", 90));

    private final FlinkDistribution distribution;
    private final ClusterSpec spec;
    private final Path home;
    private final Path confDir;
    private final Path logDir;
    private final RestApi rest;
    private final FlinkCli cli;
    private final List<FlinkProcess> jobManagers = new ArrayList<>();
    private final List<FlinkProcess> taskManagers = new ArrayList<>();
    /** With HA: each JobManager's RPC port, by which ZooKeeper's leader address names it. */
    private final Map<FlinkProcess, Integer> rpcPorts = new java.util.HashMap<>();
    private final Map<FlinkProcess, Integer> restPorts = new java.util.HashMap<>();
    private final int firstRestPort;
    private final int firstRpcPort;
    private ResourceParams jobManagerParams;
    private ResourceParams taskManagerParams;

    private LocalFlinkCluster(FlinkDistribution distribution, ClusterSpec spec, Path home) throws IOException {
        this.distribution = distribution;
        this.spec = spec;
        this.home = home.toAbsolutePath();
        this.confDir = this.home.resolve("conf");
        this.logDir = this.home.resolve("log");
        int restPort = freePort();
        int rpcPort = freePort();
        this.firstRestPort = restPort;
        this.firstRpcPort = rpcPort;
        FlinkConfDir.write(confDir, this.home, spec, restPort, rpcPort);
        Files.createDirectories(this.home.resolve("tmp"));
        this.rest = new RestApi(restPort);
        this.cli = new FlinkCli(distribution, confDir, logDir, spec.environment());
    }

    /** Writes the configuration into {@code home}, starts the JobManager and the spec's TaskManagers. */
    public static LocalFlinkCluster start(FlinkDistribution distribution, ClusterSpec spec, Path home) throws IOException {
        LocalFlinkCluster cluster = new LocalFlinkCluster(distribution, spec, home);
        try {
            cluster.computeResourceParams();
            // TaskManagers start alongside the JobManager and keep retrying to register until it is up.
            FlinkProcess jobManager = cluster.launchJobManager();
            for (int i = 0; i < spec.taskManagers(); i++) {
                cluster.startTaskManager();
            }
            cluster.await("the JobManager's REST API", cluster.rest::isUp, jobManager);
            // Standbys start once the first JobManager leads, so that the first one started is the leader.
            for (int i = 1; i < spec.jobManagers(); i++) {
                cluster.startJobManager();
            }
            cluster.awaitTaskManagers(spec.taskManagers());
            return cluster;
        } catch (RuntimeException | IOException e) {
            String logs = cluster.logTails(80);
            cluster.close();
            throw new IllegalStateException("The Flink cluster in " + home + " did not start.\n" + logs, e);
        }
    }

    public Path home() {
        return home;
    }

    public Path confDir() {
        return confDir;
    }

    public Path logDir() {
        return logDir;
    }

    public RestApi rest() {
        return rest;
    }

    public FlinkCli cli() {
        return cli;
    }

    public FlinkDistribution distribution() {
        return distribution;
    }

    /** Where checkpoints go: {@code <dir>/<job id>/chk-<n>}. */
    public Path checkpointDir() {
        return home.resolve("checkpoints");
    }

    public Path savepointDir() {
        return home.resolve("savepoints");
    }

    // ------------------------------------------------------------------------------------------------------------
    // Processes
    // ------------------------------------------------------------------------------------------------------------

    /** Starts a JobManager (again, after {@link #killJobManager()}) and waits until its REST API answers. */
    public FlinkProcess startJobManager() throws IOException {
        FlinkProcess process = launchJobManager();
        awaitRestApi(process);
        return process;
    }

    /** Waits until the REST API of this JobManager (started by {@link #launchJobManager()}) answers. */
    public void awaitRestApi(FlinkProcess jobManager) {
        if (spec.highAvailability()) {
            int port = restPorts.get(jobManager);
            await("the REST API of " + jobManager, () -> rest.isUp(port), jobManager);
        } else {
            await("the JobManager's REST API", rest::isUp, jobManager);
        }
    }

    /** The JobManager ZooKeeper names as the leader, if one leads (HA clusters only). */
    public Optional<FlinkProcess> leaderJobManager() {
        if (!spec.highAvailability()) {
            throw new IllegalStateException("Not a high-availability cluster");
        }
        return ZooKeeperLeader.dispatcherAddress(spec.zooKeeperQuorum(), FlinkConfDir.clusterId(home))
                .flatMap(address -> jobManagers.stream()
                        .filter(FlinkProcess::isAlive)
                        .filter(jm -> address.contains(":" + rpcPorts.get(jm) + "/"))
                        .findFirst());
    }

    /** Waits until a JobManager other than {@code previous} leads, and returns it. */
    public FlinkProcess awaitNewLeader(FlinkProcess previous, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<FlinkProcess> leader = leaderJobManager();
            if (leader.isPresent() && leader.get() != previous) {
                return leader.get();
            }
            sleep(100);
        }
        throw new IllegalStateException("No JobManager took over the leadership from " + previous + " within " + timeout);
    }

    /** The JobManagers still running. */
    public List<FlinkProcess> runningJobManagers() {
        return jobManagers.stream().filter(FlinkProcess::isAlive).toList();
    }

    /**
     * Starts a JobManager process and returns at once (a standby can boot while a test checks its output);
     * {@link #awaitRestApi(FlinkProcess)} waits for it.
     */
    public FlinkProcess launchJobManager() throws IOException {
        if (jobManagerParams == null) {
            jobManagerParams = resourceParams("GET_JM_RESOURCE_PARAMS");
        }
        String name = "jobmanager-" + (jobManagers.size() + 1);
        List<String> args = new ArrayList<>(List.of("--configDir", confDir.toString()));
        args.addAll(jobManagerParams.dynamicConfigs());
        int restPort = firstRestPort;
        int rpcPort = firstRpcPort;
        if (spec.highAvailability()) {
            // JobManagers side by side on one host: each its own REST and RPC port (in HA the RPC port is
            // high-availability.jobmanager.port; its address reaches the others through ZooKeeper).
            boolean first = jobManagers.isEmpty();
            restPort = first ? firstRestPort : freePort();
            rpcPort = first ? firstRpcPort : freePort();
            args.addAll(List.of("-D", "rest.port=" + restPort, "-D", "high-availability.jobmanager.port=" + rpcPort));
            if (!first) {
                rest.addPort(restPort);
            }
        }
        FlinkProcess process = FlinkProcess.start(name,
                distribution.javaCommand(daemonJvmOptions(name, jobManagerParams), JOB_MANAGER_MAIN, args),
                processEnvironment(), logDir);
        jobManagers.add(process);
        rpcPorts.put(process, rpcPort);
        restPorts.put(process, restPort);
        return process;
    }

    /** Starts one more TaskManager; it registers with the JobManager in the background. */
    public FlinkProcess startTaskManager() throws IOException {
        if (taskManagerParams == null) {
            taskManagerParams = resourceParams("GET_TM_RESOURCE_PARAMS");
        }
        String name = "taskmanager-" + (taskManagers.size() + 1);
        List<String> args = new ArrayList<>(List.of("--configDir", confDir.toString()));
        args.addAll(taskManagerParams.dynamicConfigs());
        FlinkProcess process = FlinkProcess.start(name,
                distribution.javaCommand(daemonJvmOptions(name, taskManagerParams), TASK_MANAGER_MAIN, args),
                processEnvironment(), logDir);
        taskManagers.add(process);
        return process;
    }

    /** Waits until exactly this many TaskManagers are registered (dead ones time out after the heartbeat timeout). */
    public void awaitTaskManagers(int count) {
        await(count + " registered TaskManagers", () -> rest.registeredTaskManagers() == count, null);
    }

    public FlinkProcess jobManager() {
        return jobManagers.get(jobManagers.size() - 1);
    }

    /** The TaskManagers still running. */
    public List<FlinkProcess> runningTaskManagers() {
        return taskManagers.stream().filter(FlinkProcess::isAlive).toList();
    }

    /** kill -9 of the current JobManager. */
    public void killJobManager() {
        jobManager().kill();
    }

    /** kill -9 of every process of the cluster at the same moment (the JobManager first), then waits for them. */
    public void killAll() {
        List<FlinkProcess> alive = Stream.concat(jobManagers.stream(), taskManagers.stream())
                .filter(FlinkProcess::isAlive).toList();
        alive.forEach(FlinkProcess::signalKill);
        alive.forEach(FlinkProcess::kill);
    }

    private Map<String, String> processEnvironment() {
        Map<String, String> environment = new java.util.HashMap<>(spec.environment());
        environment.put("FLINK_CONF_DIR", confDir.toString());
        return environment;
    }

    private List<String> daemonJvmOptions(String name, ResourceParams params) {
        List<String> options = new ArrayList<>(params.jvmParams());
        options.add("-XX:+IgnoreUnrecognizedVMOptions");
        options.add("-Dlog.file=" + logDir.resolve(name + ".log"));
        options.add("-Dlog4j.configurationFile=" + confDir.resolve("log4j.properties").toUri());
        return options;
    }

    /** The JobManager's and TaskManagers' memory settings, computed side by side (each is a JVM start). */
    private void computeResourceParams() throws IOException {
        java.util.concurrent.CompletableFuture<ResourceParams> jm = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return resourceParams("GET_JM_RESOURCE_PARAMS");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        taskManagerParams = resourceParams("GET_TM_RESOURCE_PARAMS");
        try {
            jobManagerParams = jm.join();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof UncheckedIOException u ? u.getCause() : new IOException(e.getCause());
        }
    }

    /** Runs BashJavaUtils as Flink's scripts do and keeps the two result lines: JVM options and dynamic configs. */
    private ResourceParams resourceParams(String command) throws IOException {
        String name = "bash-java-utils-" + command.toLowerCase();
        FlinkProcess process = FlinkProcess.start(name, distribution.javaCommand(List.of("-Xmx128m", "-XX:TieredStopAtLevel=1"), BASH_JAVA_UTILS,
                List.of(command, "--configDir", confDir.toString())), Map.of(), logDir);
        if (!process.waitFor(Duration.ofSeconds(60)) || process.exitValue() != 0) {
            process.kill();
            throw new IllegalStateException("BashJavaUtils " + command + " failed:\n" + tail(process.out(), 40));
        }
        List<String> results = Files.readAllLines(process.out(), StandardCharsets.UTF_8).stream()
                .filter(line -> line.startsWith(RESULT_PREFIX))
                .map(line -> line.substring(RESULT_PREFIX.length()).trim())
                .toList();
        if (results.size() < 2) {
            throw new IllegalStateException("BashJavaUtils " + command + " printed no results:\n" + tail(process.out(), 40));
        }
        List<String> jvm = Arrays.stream(results.get(results.size() - 2).split("\\s+")).filter(s -> !s.isEmpty()).toList();
        List<String> dynamic = Arrays.stream(results.get(results.size() - 1).split("\\s+")).filter(s -> !s.isEmpty()).toList();
        return new ResourceParams(jvm, dynamic);
    }

    private record ResourceParams(List<String> jvmParams, List<String> dynamicConfigs) {}

    /** Waits for a condition, failing early (with the process's output) if the process it waits for dies. */
    private void await(String what, BooleanSupplier condition, FlinkProcess process) {
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (process != null && !process.isAlive()) {
                throw new IllegalStateException(process + " exited while waiting for " + what + ":\n"
                        + tail(process.out(), 60) + tail(process.log(), 60));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Timed out after " + STARTUP_TIMEOUT + " waiting for " + what);
            }
            sleep(200);
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Logs
    // ------------------------------------------------------------------------------------------------------------

    /** The last lines of every log and console file of the cluster (processes and CLI calls), for failure reports. */
    public String logTails(int lines) {
        StringBuilder all = new StringBuilder("Logs of the Flink cluster in ").append(home).append(":\n");
        if (!Files.isDirectory(logDir)) {
            return all.append("(no logs)\n").toString();
        }
        try (Stream<Path> files = Files.list(logDir)) {
            for (Path file : files.sorted().toList()) {
                all.append("===== ").append(file.getFileName()).append(" (last ").append(lines).append(" lines) =====\n");
                all.append(tail(file, lines));
            }
        } catch (IOException e) {
            all.append("(cannot list ").append(logDir).append(": ").append(e).append(")\n");
        }
        return all.toString();
    }

    static String tail(Path file, int lines) {
        if (!Files.exists(file)) {
            return "";
        }
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size())) + "\n";
        } catch (IOException | UncheckedIOException e) {
            return "(cannot read " + file + ": " + e + ")\n";
        }
    }

    /** Stops every process this cluster started, by process id: SIGTERM to all at once, SIGKILL to stragglers. */
    @Override
    public void close() {
        List<FlinkProcess> all = Stream.concat(taskManagers.stream(), jobManagers.stream()).toList();
        all.forEach(FlinkProcess::signalStop);
        all.forEach(FlinkProcess::stop);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }
}
