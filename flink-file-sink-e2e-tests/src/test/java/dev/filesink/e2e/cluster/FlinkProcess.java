package dev.filesink.e2e.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A JVM this harness started (JobManager, TaskManager), with its console output in {@code <name>.out} and its log in
 * {@code <name>.log}. Stopped by its process id: SIGTERM and then SIGKILL, or SIGKILL right away to simulate a crash.
 */
public final class FlinkProcess {

    private final String name;
    private final Process process;
    private final Path out;
    private final Path log;

    private FlinkProcess(String name, Process process, Path out, Path log) {
        this.name = name;
        this.process = process;
        this.out = out;
        this.log = log;
    }

    static FlinkProcess start(String name, List<String> command, Map<String, String> environment, Path logDir)
            throws IOException {
        Files.createDirectories(logDir);
        Path out = logDir.resolve(name + ".out");
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(out.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().putAll(environment);
        Process process = builder.start();
        ProcessReaper.register(process);
        return new FlinkProcess(name, process, out, logDir.resolve(name + ".log"));
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path out() {
        return out;
    }

    public Path log() {
        return log;
    }

    /** Waits for the process to end by itself; false if it still runs after the timeout. */
    public boolean waitFor(java.time.Duration timeout) {
        return awaitExit(timeout.toMillis());
    }

    public int exitValue() {
        return process.exitValue();
    }

    /** Simulates a crash: SIGKILL, and waits until the process is gone. */
    public void kill() {
        signalKill();
        awaitExit(30_000);
    }

    /** Sends SIGKILL and returns at once (to kill several processes at the same moment). */
    public void signalKill() {
        process.destroyForcibly();
    }

    /** Sends SIGTERM and returns at once. */
    public void signalStop() {
        process.destroy();
    }

    /** Stops gracefully (SIGTERM), killing after a grace period. */
    public void stop() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        if (!awaitExit(15_000)) {
            kill();
        }
    }

    private boolean awaitExit(long millis) {
        try {
            return process.waitFor(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            if (!process.isAlive()) {
                ProcessReaper.unregister(process);
            }
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + pid() + (isAlive() ? "" : ", exited") + ")";
    }
}
