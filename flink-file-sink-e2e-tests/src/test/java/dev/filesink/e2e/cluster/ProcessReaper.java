package dev.filesink.e2e.cluster;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Kills, by process id, every process the harness started and did not stop yet when the test JVM exits, so that an
 * aborted test run leaves no Flink processes behind.
 */
final class ProcessReaper {

    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly), "e2e-reaper"));
    }

    private ProcessReaper() {}

    static void register(Process process) {
        RUNNING.add(process);
    }

    static void unregister(Process process) {
        RUNNING.remove(process);
    }
}
