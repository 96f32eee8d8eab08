package dev.filesink.e2e.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Flink's command line client ({@code org.apache.flink.client.cli.CliFrontend}, what {@code bin/flink} runs) in a
 * JVM of its own, pointed at the cluster by {@code FLINK_CONF_DIR}.
 */
public final class FlinkCli {

    private static final String MAIN_CLASS = "org.apache.flink.client.cli.CliFrontend";

    private final FlinkDistribution distribution;
    private final Path confDir;
    private final Path logDir;
    private final Map<String, String> environment;
    private final AtomicInteger calls;

    FlinkCli(FlinkDistribution distribution, Path confDir, Path logDir, Map<String, String> environment) {
        this(distribution, confDir, logDir, environment, new AtomicInteger());
    }

    private FlinkCli(FlinkDistribution distribution, Path confDir, Path logDir, Map<String, String> environment,
            AtomicInteger calls) {
        this.calls = calls;
        this.environment = new java.util.HashMap<>(environment);
        this.environment.put("FLINK_CONF_DIR", confDir.toString());
        this.distribution = distribution;
        this.confDir = confDir;
        this.logDir = logDir;
    }

    /**
     * The same CLI with more settings in its configuration, as a user would put them into config.yaml (secrets, for
     * instance, which then never show on a command line).
     */
    public FlinkCli withConfig(Map<String, String> settings) {
        try {
            Path derived = Files.createTempDirectory(logDir.getParent(), "cli-conf-");
            for (String file : List.of("log4j.properties", "log4j-cli.properties")) {
                Files.copy(confDir.resolve(file), derived.resolve(file));
            }
            StringBuilder config = new StringBuilder(Files.readString(confDir.resolve("config.yaml")));
            settings.forEach((key, value) -> config.append(key).append(": '").append(value.replace("'", "''")).append("'\n"));
            Files.writeString(derived.resolve("config.yaml"), config);
            Map<String, String> env = new java.util.HashMap<>(environment);
            env.remove("FLINK_CONF_DIR");
            return new FlinkCli(distribution, derived, logDir, env, calls);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot write a configuration below " + logDir, e);
        }
    }

    /** {@code flink run -d [-p n] [-s savepoint] example.jar args...}: submits and returns at once. */
    public CliResult submitDetached(Integer parallelism, String savepoint, List<String> jobArgs) {
        return run(Duration.ofMinutes(2), runArgs(true, parallelism, savepoint, jobArgs));
    }

    /** {@code flink run [-p n] example.jar args...}: waits for the job to end and prints what it printed. */
    public CliResult runAttached(Integer parallelism, List<String> jobArgs, Duration timeout) {
        return run(timeout, runArgs(false, parallelism, null, jobArgs));
    }

    /** {@code flink stop --savepointPath dir jobId}: stop with a savepoint. */
    public CliResult stopWithSavepoint(String jobId, Path savepointDir) {
        return run(Duration.ofMinutes(2), List.of("stop", "--savepointPath", savepointDir.toUri().toString(), jobId));
    }

    public CliResult cancel(String jobId) {
        return run(Duration.ofMinutes(1), List.of("cancel", jobId));
    }

    private List<String> runArgs(boolean detached, Integer parallelism, String savepoint, List<String> jobArgs) {
        List<String> args = new ArrayList<>(List.of("run"));
        if (detached) {
            args.add("-d");
        }
        if (parallelism != null) {
            args.add("-p");
            args.add(String.valueOf(parallelism));
        }
        if (savepoint != null) {
            args.add("-s");
            args.add(savepoint);
        }
        args.add(distribution.exampleJar().toString());
        args.addAll(jobArgs);
        return args;
    }

    /** Any CLI call; the output is stdout and stderr together. */
    public CliResult run(Duration timeout, List<String> cliArgs) {
        String name = "cli-" + calls.incrementAndGet();
        List<String> jvm = List.of(
                "-Xmx384m",
                "-XX:TieredStopAtLevel=1", // a short-lived client: start fast rather than optimize
                "-Dlog.file=" + logDir.resolve(name + ".log"),
                "-Dlog4j.configurationFile=" + confDir.resolve("log4j-cli.properties").toUri());
        List<String> command = distribution.javaCommand(jvm, MAIN_CLASS, cliArgs);
        String shown = "flink " + String.join(" ", cliArgs);
        try {
            FlinkProcess process = FlinkProcess.start(name, command, environment, logDir);
            if (!process.waitFor(timeout)) {
                process.kill();
                return new CliResult(shown, -1, read(process.out()) + "\n(killed after " + timeout + ")");
            }
            return new CliResult(shown, process.exitValue(), read(process.out()));
        } catch (IOException e) {
            throw new IllegalStateException("Cannot run " + shown, e);
        }
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }
}
