package dev.filesink.e2e.soak;

import dev.filesink.e2e.cluster.RestApi;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Watches the run from outside, through Flink's REST API and the stores' listings: completed checkpoints of every
 * job (for recovery times), restarts (the {@code numRestarts} metric, summed across leaders and job ids, and the
 * exception history by cause), committed records over time (finished bytes / line length), and the TaskManagers'
 * heap.
 */
final class SoakMonitor implements AutoCloseable {

    /** Bytes of one example record line, newline included. */
    static final int LINE_BYTES = 99;

    record Checkpoint(String store, String jobId, long id, long triggerMillis, long ackMillis) {}

    record Progress(long millis, Map<String, Long> committedRecords) {}

    record HeapSample(long millis, Map<String, long[]> usedAndMaxMb) {}

    private final RestApi rest;
    private final List<SoakJob> jobs;
    private final List<Checkpoint> checkpoints = new CopyOnWriteArrayList<>();
    private final List<Progress> progress = new CopyOnWriteArrayList<>();
    private final List<HeapSample> heap = new CopyOnWriteArrayList<>();
    private final Map<String, Long> restartsByStore = new ConcurrentHashMap<>();
    private final Map<String, Long> lastRestartsByJob = new HashMap<>();
    private final Set<String> exceptionsSeen = ConcurrentHashMap.newKeySet();
    private final Map<String, Integer> exceptionsByCause = new ConcurrentHashMap<>();
    private final Set<String> checkpointsSeen = ConcurrentHashMap.newKeySet();
    private final Thread thread;
    private final long heapEveryMillis;
    private volatile boolean running = true;

    SoakMonitor(RestApi rest, List<SoakJob> jobs, long heapEveryMillis) {
        this.rest = rest;
        this.jobs = jobs;
        this.heapEveryMillis = heapEveryMillis;
        this.thread = new Thread(this::run, "soak-monitor");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        long nextProgress = 0;
        long nextHeap = 0;
        long nextExceptions = 0;
        while (running) {
            long now = System.currentTimeMillis();
            try {
                for (SoakJob job : jobs) {
                    pollCheckpoints(job);
                    pollRestarts(job);
                }
                if (now >= nextExceptions) {
                    jobs.forEach(this::pollExceptions);
                    nextExceptions = now + 5_000;
                }
                if (now >= nextProgress) {
                    Map<String, Long> committed = new LinkedHashMap<>();
                    for (SoakJob job : jobs) {
                        committed.put(job.name(), job.store().finished().values().stream()
                                .mapToLong(Long::longValue).sum() / LINE_BYTES);
                    }
                    progress.add(new Progress(now, committed));
                    nextProgress = now + 2_000;
                }
                if (now >= nextHeap) {
                    pollHeap(now);
                    nextHeap = now + heapEveryMillis;
                }
            } catch (RuntimeException e) {
                System.out.println("[monitor] " + e); // a listing or REST call in the middle of a fault: next round
            }
            sleep(500);
        }
    }

    private void pollCheckpoints(SoakJob job) {
        String jobId = job.jobId();
        rest.get("jobs/" + jobId + "/checkpoints").ifPresent(stats -> {
            JsonNode latest = stats.path("latest").path("completed");
            if (latest.isObject() && checkpointsSeen.add(jobId + "/" + latest.path("id").asLong())) {
                checkpoints.add(new Checkpoint(job.name(), jobId, latest.path("id").asLong(),
                        latest.path("trigger_timestamp").asLong(), latest.path("latest_ack_timestamp").asLong()));
            }
        });
    }

    /** numRestarts counts per execution graph: a new leader (or a new job id) starts again from 0. */
    private void pollRestarts(SoakJob job) {
        String jobId = job.jobId();
        rest.get("jobs/" + jobId + "/metrics?get=numRestarts").ifPresent(metrics -> {
            if (metrics.size() == 0) {
                return;
            }
            long value = metrics.path(0).path("value").asLong();
            Long last = lastRestartsByJob.get(jobId);
            long added = last == null || value < last ? value : value - last;
            lastRestartsByJob.put(jobId, value);
            restartsByStore.merge(job.name(), added, Long::sum);
        });
    }

    private void pollExceptions(SoakJob job) {
        String jobId = job.jobId();
        rest.get("jobs/" + jobId + "/exceptions?maxExceptions=200").ifPresent(history -> {
            for (JsonNode entry : history.path("exceptionHistory").path("entries")) {
                String cause = innermostCause(entry.path("stacktrace").asText(""), entry.path("exceptionName").asText("?"));
                if (exceptionsSeen.add(job.name() + "/" + jobId + "/" + entry.path("timestamp").asLong() + "/" + cause)) {
                    exceptionsByCause.merge(job.name() + ": " + cause, 1, Integer::sum);
                }
            }
        });
    }

    /** The class and message of the last "Caused by:" of a stack trace, numbers and ids masked so that causes group. */
    static String innermostCause(String stackTrace, String fallback) {
        String cause = fallback;
        for (String line : stackTrace.split("\n")) {
            if (line.startsWith("Caused by: ")) {
                cause = line.substring("Caused by: ".length());
            }
        }
        cause = cause.replace("org.apache.flink.util.SerializedThrowable: ", "")
                .replaceAll("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "<uuid>")
                .replaceAll("[0-9a-f]{32}", "<id>")
                .replaceAll("\"<\\?xml.*", "<xml>")
                .replaceAll("\\d{4,}", "<n>");
        return cause.length() > 160 ? cause.substring(0, 160) + "..." : cause;
    }

    private void pollHeap(long now) {
        rest.get("taskmanagers").ifPresent(overview -> {
            Map<String, long[]> sample = new TreeMap<>();
            for (JsonNode tm : overview.path("taskmanagers")) {
                String id = tm.path("id").asText();
                rest.get("taskmanagers/" + id + "/metrics?get=Status.JVM.Memory.Heap.Used,Status.JVM.Memory.Heap.Max")
                        .ifPresent(metrics -> {
                            long used = -1;
                            long max = -1;
                            for (JsonNode metric : metrics) {
                                long mb = metric.path("value").asLong() / (1024 * 1024);
                                if (metric.path("id").asText().endsWith("Used")) {
                                    used = mb;
                                } else {
                                    max = mb;
                                }
                            }
                            if (used >= 0) {
                                sample.put(id, new long[] {used, max});
                            }
                        });
            }
            if (!sample.isEmpty()) {
                heap.add(new HeapSample(now, sample));
            }
        });
    }

    /**
     * When every named store's job has completed a checkpoint triggered at or after {@code sinceMillis}: the latest
     * acknowledgement among them, or -1 if one has not yet.
     */
    long recoveredAt(long sinceMillis, List<String> stores) {
        long recovered = -1;
        for (String store : stores) {
            long first = checkpoints.stream()
                    .filter(c -> c.store().equals(store) && c.triggerMillis() >= sinceMillis)
                    .mapToLong(Checkpoint::ackMillis).min().orElse(-1);
            if (first < 0) {
                return -1;
            }
            recovered = Math.max(recovered, first);
        }
        return recovered;
    }

    /** Records committed (finished) between two moments, over all stores, from the 2-second samples. */
    long committedBetween(long fromMillis, long toMillis) {
        return total(at(toMillis)) - total(at(fromMillis));
    }

    /** The last sample at or before the moment (the first one if none is). */
    private Progress at(long millis) {
        Progress found = progress.get(0);
        for (Progress p : progress) {
            if (p.millis() <= millis) {
                found = p;
            }
        }
        return found;
    }

    private static long total(Progress p) {
        return p.committedRecords().values().stream().mapToLong(Long::longValue).sum();
    }

    List<Checkpoint> checkpoints() {
        return List.copyOf(checkpoints);
    }

    List<HeapSample> heap() {
        return List.copyOf(heap);
    }

    List<Progress> progress() {
        return List.copyOf(progress);
    }

    Map<String, Long> restartsByStore() {
        return new TreeMap<>(restartsByStore);
    }

    Map<String, Integer> exceptionsByCause() {
        return new TreeMap<>(exceptionsByCause);
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
