package dev.filesink.e2e.soak;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The soak run's findings as markdown: verdict, exactly-once per store, faults, restarts, throughput, heap. */
final class SoakReport {

    /** What the run was asked to do and where. */
    record Setup(String commit, long seed, int minutes, int quietSeconds, long ratePerJob, String cluster,
            List<String> jobs, long startMillis, long quietStartMillis, long chaosStartMillis, long chaosEndMillis, long endMillis) {}

    /** One store's verification. */
    record StoreResult(String store, int files, SequenceCheck.Result records, SoakStore.Leftovers leftovers,
            List<String> guardViolations, List<String> jobIds) {
        boolean passed() {
            return records.passed() && leftovers.leaks().isEmpty() && guardViolations.isEmpty();
        }
    }

    private SoakReport() {}

    static boolean passed(List<StoreResult> stores, List<ChaosDriver.FaultEvent> events) {
        return stores.stream().allMatch(StoreResult::passed) && events.stream().allMatch(e -> e.recoveredMillis >= 0);
    }

    static String markdown(Setup setup, List<StoreResult> stores, List<ChaosDriver.FaultEvent> events,
            SoakMonitor monitor) {
        StringBuilder md = new StringBuilder();
        String date = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC)
                .format(Instant.ofEpochMilli(setup.startMillis()));
        md.append("# Soak run ").append(date).append("\n\n");
        md.append("* Verdict: **").append(passed(stores, events) ? "PASSED" : "FAILED").append("**\n");
        md.append("* Commit `").append(setup.commit()).append("`, seed `").append(setup.seed()).append("`\n");
        md.append(String.format("* Run: %.1f minutes from the first submission to the drained stop (asked: %d); "
                + "jobs committing after %.1f minutes, then a quiet phase of %d s, then faults for %.1f minutes%n",
                (setup.endMillis() - setup.startMillis()) / 60_000.0, setup.minutes(),
                (setup.quietStartMillis() - setup.startMillis()) / 60_000.0, setup.quietSeconds(),
                (setup.chaosEndMillis() - setup.chaosStartMillis()) / 60_000.0));
        md.append("* Cluster: ").append(setup.cluster()).append('\n');
        setup.jobs().forEach(job -> md.append("* Job: ").append(job).append('\n'));
        md.append('\n');

        md.append("## Exactly once, per storage\n\n");
        md.append("Jobs stopped with `flink stop --drain`; every finished file read back, every line parsed and "
                + "compared; per source split the ids must run from the split's start without a gap or a repeat.\n\n");
        md.append("| storage | finished files | records read | distinct | problems | left besides finished files | "
                + "guard (finished file changed or vanished) |\n|---|---|---|---|---|---|---|\n");
        for (StoreResult store : stores) {
            md.append(String.format("| %s | %,d | %,d | %,d | %s | %s | %s |%n", store.store(), store.files(),
                    store.records().records(), store.records().distinct(),
                    store.records().problems().isEmpty() ? "none" : store.records().problems().size() + " (below)",
                    store.leftovers().summary() + (store.leftovers().leaks().isEmpty() ? "" : "; **"
                            + store.leftovers().leaks().size() + " leaks (below)**"),
                    store.guardViolations().isEmpty() ? "none" : store.guardViolations().size() + " (below)"));
        }
        md.append('\n');
        for (StoreResult store : stores) {
            store.records().perSplit().forEach(s -> md.append("* ").append(store.store()).append(": ").append(s).append('\n'));
            store.records().problems().forEach(p -> md.append("* **").append(store.store()).append(" problem:** ").append(p).append('\n'));
            store.leftovers().leaks().forEach(l -> md.append("* **").append(store.store()).append(" leak:** ").append(l).append('\n'));
            store.guardViolations().forEach(v -> md.append("* **").append(store.store()).append(" guard:** ").append(v).append('\n'));
            md.append("* ").append(store.store()).append(" job ids: ").append(String.join(", ", store.jobIds())).append('\n');
        }
        md.append('\n');

        md.append("## Faults injected (counted as they fired)\n\n");
        md.append("Recovery: from the end of the fault (a kill: the moment the process was gone; a storage fault: "
                + "the end of its window; the rescale: the resubmission) until every affected job completed a "
                + "checkpoint triggered after that moment.\n\n");
        md.append("| kind | fired | recovery median | recovery max | not recovered within 5 min |\n|---|---|---|---|---|\n");
        Map<String, List<ChaosDriver.FaultEvent>> byKind = new TreeMap<>();
        events.forEach(e -> byKind.computeIfAbsent(e.kind, k -> new ArrayList<>()).add(e));
        byKind.forEach((kind, list) -> md.append(recoveryRow(kind, list)));
        md.append(recoveryRow("**all**", events)).append('\n');

        md.append("## Job restarts (Flink REST API)\n\n");
        monitor.restartsByStore().forEach((store, restarts) -> md.append(String.format(
                "* %s job: %d restarts (`numRestarts`, summed over JobManager leaders and job ids)%n", store, restarts)));
        long leaderKills = events.stream().filter(e -> e.kind.equals("jobmanager-leader-kill")).count();
        md.append(String.format("* %d recoveries of both jobs by a new leader (not counted by `numRestarts`)%n", leaderKills));
        md.append("* Failure causes in the jobs' exception histories (a history is lost with its leader):\n");
        monitor.exceptionsByCause().forEach((cause, count) -> md.append(String.format("  * %s: %d%n", cause, count)));
        md.append('\n');

        md.append("## Throughput (records committed to finished files, both jobs together)\n\n");
        double quiet = rate(monitor, setup.quietStartMillis(), setup.chaosStartMillis());
        long faultMillis = 0;
        long faultRecords = 0;
        for (ChaosDriver.FaultEvent e : events) {
            long end = e.recoveredMillis >= 0 ? e.recoveredMillis : e.clearedMillis;
            faultMillis += end - e.startMillis;
            faultRecords += monitor.committedBetween(e.startMillis, end);
        }
        double duringFaults = faultMillis == 0 ? 0 : faultRecords * 1000.0 / faultMillis;
        double chaos = rate(monitor, setup.chaosStartMillis(), setup.chaosEndMillis());
        md.append(String.format("| phase | seconds | records/s | vs quiet |%n|---|---|---|---|%n"));
        md.append(String.format("| source rate (throttle, both jobs) | | %,d | |%n", 2 * setup.ratePerJob()));
        md.append(String.format("| quiet phase | %d | %,.0f | 1.00 |%n", (setup.chaosStartMillis() - setup.quietStartMillis()) / 1000, quiet));
        md.append(String.format("| during faults (fault start to recovery) | %d | %,.0f | %.2f |%n", faultMillis / 1000,
                duringFaults, quiet == 0 ? 0 : duringFaults / quiet));
        md.append(String.format("| whole fault phase | %d | %,.0f | %.2f |%n%n", (setup.chaosEndMillis() - setup.chaosStartMillis()) / 1000,
                chaos, quiet == 0 ? 0 : chaos / quiet));
        md.append("Committed records are counted from the finished files' sizes every 2 s; files roll every 10 s "
                + "or 256 KB, so short windows are coarse.\n\n");

        md.append("## TaskManager heap (REST metrics `Status.JVM.Memory.Heap.Used`)\n\n");
        md.append("| minute | TaskManagers | heap used per TaskManager (MB) | heap max (MB) |\n|---|---|---|---|\n");
        for (SoakMonitor.HeapSample sample : monitor.heap()) {
            List<String> used = new ArrayList<>();
            long max = 0;
            for (long[] usedAndMax : sample.usedAndMaxMb().values()) {
                used.add(String.valueOf(usedAndMax[0]));
                max = Math.max(max, usedAndMax[1]);
            }
            md.append(String.format("| %.1f | %d | %s | %d |%n", (sample.millis() - setup.startMillis()) / 60_000.0,
                    sample.usedAndMaxMb().size(), String.join(", ", used), max));
        }
        md.append('\n');

        md.append("## Fault log\n\n| minute | UTC | kind | detail | recovery (s) |\n|---|---|---|---|---|\n");
        DateTimeFormatter clock = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);
        for (ChaosDriver.FaultEvent e : events) {
            md.append(String.format("| %.1f | %s | %s | %s | %s |%n", (e.startMillis - setup.startMillis()) / 60_000.0,
                    clock.format(Instant.ofEpochMilli(e.startMillis)), e.kind,
                    e.detail, e.recoveredMillis < 0 ? "not recovered" : String.format("%.1f", e.recoveryMillis() / 1000.0)));
        }
        return md.toString();
    }

    private static double rate(SoakMonitor monitor, long from, long to) {
        return to <= from ? 0 : monitor.committedBetween(from, to) * 1000.0 / (to - from);
    }

    private static String recoveryRow(String kind, List<ChaosDriver.FaultEvent> list) {
        List<Long> times = list.stream().map(ChaosDriver.FaultEvent::recoveryMillis).filter(t -> t >= 0).sorted().toList();
        long notRecovered = list.size() - times.size();
        String median = times.isEmpty() ? "-" : String.format("%.1f s", median(times) / 1000.0);
        String max = times.isEmpty() ? "-" : String.format("%.1f s", times.get(times.size() - 1) / 1000.0);
        return String.format("| %s | %d | %s | %s | %d |%n", kind, list.size(), median, max, notRecovered);
    }

    private static double median(List<Long> sorted) {
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
    }
}
