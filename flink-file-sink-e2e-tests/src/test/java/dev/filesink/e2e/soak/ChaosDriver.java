package dev.filesink.e2e.soak;

import dev.filesink.e2e.cluster.FlinkProcess;
import dev.filesink.e2e.cluster.LocalFlinkCluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Injects one fault at a time at seeded random moments: kill -9 of a TaskManager (a new one is started), kill -9 of
 * the leading JobManager (it comes back as a standby), a storage proxy that refuses, cuts, stalls or answers 500/503
 * for 5 to 20 seconds, and once, past the middle of the run, a rescale of both jobs through savepoints. After each
 * fault it waits until every affected job has completed a checkpoint triggered after the fault (the recovery), then
 * pauses (15 to 45 seconds by default). Kinds are drawn from a shuffled bag, so every kind fires before any fires twice as often.
 */
final class ChaosDriver {

    /** One injected fault, counted when it fired. */
    static final class FaultEvent {
        final String kind;
        final String detail;
        final long startMillis;
        final long clearedMillis;
        final List<String> affected;
        volatile long recoveredMillis = -1;

        FaultEvent(String kind, String detail, long startMillis, long clearedMillis, List<String> affected) {
            this.kind = kind;
            this.detail = detail;
            this.startMillis = startMillis;
            this.clearedMillis = clearedMillis;
            this.affected = affected;
        }

        /** From the moment the fault ended (a kill: was done) to the first checkpoint completed after it, or -1. */
        long recoveryMillis() {
            return recoveredMillis < 0 ? -1 : recoveredMillis - clearedMillis;
        }
    }

    private static final Duration RECOVERY_TIMEOUT = Duration.ofMinutes(5);

    private final LocalFlinkCluster cluster;
    private final List<SoakJob> jobs;
    private final SoakMonitor monitor;
    private final Random random;
    private final Path savepoints;
    private final int[] rescaleTo;
    private final int minPauseMillis;
    private final int maxPauseMillis;
    private final List<FaultEvent> events = new CopyOnWriteArrayList<>();
    private final List<String> bag = new ArrayList<>();
    private boolean rescaled;

    /** @param rescaleTo the parallelism of each job (in the order of {@code jobs}) after the rescale */
    ChaosDriver(LocalFlinkCluster cluster, List<SoakJob> jobs, SoakMonitor monitor, long seed, Path savepoints,
            int[] rescaleTo, Duration minPause, Duration maxPause) {
        this.minPauseMillis = (int) minPause.toMillis();
        this.maxPauseMillis = (int) maxPause.toMillis();
        this.cluster = cluster;
        this.jobs = jobs;
        this.monitor = monitor;
        this.random = new Random(seed);
        this.savepoints = savepoints;
        this.rescaleTo = rescaleTo;
    }

    List<FaultEvent> events() {
        return List.copyOf(events);
    }

    /** Injects faults until {@code endMillis}; the rescale comes with the first fault past {@code rescaleAfterMillis}. */
    void run(long endMillis, long rescaleAfterMillis) throws Exception {
        while (true) {
            long pause = minPauseMillis + random.nextInt(Math.max(1, maxPauseMillis - minPauseMillis));
            if (System.currentTimeMillis() + pause >= endMillis) {
                break;
            }
            Thread.sleep(pause);
            FaultEvent event;
            if (!rescaled && System.currentTimeMillis() >= rescaleAfterMillis) {
                event = rescale();
                rescaled = true;
            } else {
                event = inject(nextKind());
            }
            events.add(event);
            awaitRecovery(event);
            System.out.printf("[chaos] %tT %-22s %-50s recovered in %s%n", event.startMillis, event.kind, event.detail,
                    event.recoveredMillis < 0 ? "(not within " + RECOVERY_TIMEOUT + ")" : event.recoveryMillis() + " ms");
        }
    }

    private String nextKind() {
        if (bag.isEmpty()) {
            bag.addAll(List.of("taskmanager-kill", "taskmanager-kill", "jobmanager-leader-kill", "jobmanager-leader-kill"));
            for (SoakJob job : jobs) {
                for (StorageFaultProxy.Fault fault : StorageFaultProxy.Fault.values()) {
                    bag.add(job.name() + "-" + fault.label());
                }
            }
            Collections.shuffle(bag, random);
        }
        return bag.remove(bag.size() - 1);
    }

    private FaultEvent inject(String kind) throws Exception {
        List<String> all = jobs.stream().map(SoakJob::name).toList();
        switch (kind) {
            case "taskmanager-kill" -> {
                List<FlinkProcess> running = cluster.runningTaskManagers();
                FlinkProcess victim = running.get(random.nextInt(running.size()));
                long start = System.currentTimeMillis();
                victim.kill();
                long killed = System.currentTimeMillis();
                FlinkProcess replacement = cluster.startTaskManager();
                return new FaultEvent(kind, "killed " + victim.name() + ", started " + replacement.name(), start,
                        killed, all);
            }
            case "jobmanager-leader-kill" -> {
                FlinkProcess leader = cluster.leaderJobManager()
                        .orElseThrow(() -> new IllegalStateException("No leading JobManager"));
                long start = System.currentTimeMillis();
                leader.kill();
                long killed = System.currentTimeMillis();
                FlinkProcess newLeader = cluster.awaitNewLeader(leader, Duration.ofSeconds(90));
                long takeover = System.currentTimeMillis() - start;
                FlinkProcess standby = startJobManager(cluster);
                return new FaultEvent(kind, "killed " + leader.name() + "; " + newLeader.name() + " led after "
                        + takeover + " ms; " + standby.name() + " stands by", start, killed, all);
            }
            default -> {
                SoakJob job = jobs.stream().filter(j -> kind.startsWith(j.name() + "-")).findFirst().orElseThrow();
                StorageFaultProxy.Fault fault = StorageFaultProxy.Fault.valueOf(
                        kind.substring(job.name().length() + 1).toUpperCase().replaceFirst("^(\\d)", "HTTP_$1"));
                long window = 5_000 + random.nextInt(15_000);
                StorageFaultProxy proxy = job.store().proxy();
                int errorsBefore = proxy.errorsAnswered();
                int cutBefore = proxy.connectionsCut();
                long start = System.currentTimeMillis();
                proxy.inject(fault);
                Thread.sleep(window);
                proxy.clear();
                long cleared = System.currentTimeMillis();
                return new FaultEvent(kind, String.format("%d s; %d error answers, %d sockets reset", window / 1000,
                        proxy.errorsAnswered() - errorsBefore, proxy.connectionsCut() - cutBefore), start, cleared,
                        List.of(job.name()));
            }
        }
    }

    /** A JobManager may fail to start on a loaded machine (Pekko's fixed 10 s remoting start-up): try again. */
    static FlinkProcess startJobManager(LocalFlinkCluster cluster) throws java.io.IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                return cluster.startJobManager();
            } catch (IllegalStateException e) {
                if (attempt == 3) {
                    throw e;
                }
                System.out.println("[chaos] a JobManager did not start (attempt " + attempt + "): "
                        + e.getMessage().lines().findFirst().orElse(""));
            }
        }
    }

    /** Stop with a savepoint and resubmit at another parallelism, each job in turn. */
    private FaultEvent rescale() throws Exception {
        long start = System.currentTimeMillis();
        StringBuilder detail = new StringBuilder();
        for (int i = 0; i < jobs.size(); i++) {
            SoakJob job = jobs.get(i);
            int from = job.parallelism();
            String savepoint = stopWithRetries(job);
            job.submit(cluster, rescaleTo[i], savepoint);
            detail.append(job.name()).append(' ').append(from).append("->").append(rescaleTo[i]).append("; ");
        }
        long resubmitted = System.currentTimeMillis();
        detail.append("stopped and resubmitted in ").append(resubmitted - start).append(" ms");
        // Recovery counts from the resubmission: the old jobs' checkpoints before their stop do not count.
        return new FaultEvent("rescale", detail.toString(), start, resubmitted, jobs.stream().map(SoakJob::name).toList());
    }

    /** A stop may hit a restart still under way (the savepoint is then declined): try again a few times. */
    private String stopWithRetries(SoakJob job) throws InterruptedException {
        IllegalStateException last = null;
        for (int attempt = 1; attempt <= 4; attempt++) {
            try {
                return job.stopWithSavepoint(cluster, savepoints, false);
            } catch (IllegalStateException | AssertionError e) {
                last = e instanceof IllegalStateException ise ? ise : new IllegalStateException(e);
                System.out.println("[chaos] stop with savepoint of " + job.name() + " failed (attempt " + attempt
                        + "), retrying in 10 s: " + e.getMessage().lines().findFirst().orElse(""));
                Thread.sleep(10_000);
            }
        }
        throw last;
    }

    private void awaitRecovery(FaultEvent event) throws InterruptedException {
        long deadline = System.currentTimeMillis() + RECOVERY_TIMEOUT.toMillis();
        while (System.currentTimeMillis() < deadline) {
            long recovered = monitor.recoveredAt(event.clearedMillis, event.affected);
            if (recovered >= 0) {
                event.recoveredMillis = recovered;
                return;
            }
            Thread.sleep(250);
        }
    }
}
