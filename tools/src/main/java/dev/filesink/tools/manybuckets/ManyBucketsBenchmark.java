package dev.filesink.tools.manybuckets;

import dev.filesink.tools.BenchmarkSupport;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Many buckets, small heap: Avro orders of 2,000 customers, partitioned by customer ({@code customer=c00042}), as
 * Parquet, STREAMING at parallelism 1 with a checkpoint every minute, in a 512 MiB heap. Runs our sink with its
 * memory budget and Flink's FileSink side by side, each in a child JVM of its own (the anchor with a time limit, as
 * it does not finish), and prints records/s, MB/s, heap (largest used, largest live) and part files, and the ratio.
 *
 * <p>Usage: {@code tools/bench-manybuckets.sh [--records 5000000] [--customers 2000] [--heap 512m] [--timeout 1800]
 * [--anchor-timeout 200] [--checkpoint-ms 60000] [--budget-mb 32] [--write-buffer-kb 4] [--max-open 0]
 * [--sides ours,ours-flink-parquet,flink] [--dir /tmp/filesink-manybuckets]}
 */
public final class ManyBucketsBenchmark {

    private static final Pattern PROGRESS = Pattern.compile("PROGRESS\\s+(\\d+) s:\\s+([\\d,]+) records");

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        String[] defaults = {"records", "5000000", "customers", "2000", "heap", "512m", "timeout", "1800",
            "anchor-timeout", "200", "checkpoint-ms", "60000", "budget-mb", "32", "max-open", "0", "write-buffer-kb", "4",
            "sides", "ours,flink", "dir", "/tmp/filesink-manybuckets"};
        for (int i = 0; i < defaults.length; i += 2) {
            options.put(defaults[i], defaults[i + 1]);
        }
        options.putAll(BenchmarkSupport.arguments(args));

        System.out.printf("Many buckets: %,d Avro orders of %s customers as Parquet, STREAMING, p=1, checkpoint every "
                        + "%s ms, heap %s; time limit %s s for ours, %s s for the others; ours with "
                        + "withMaxBufferedBytes(%s MiB), withWriteBufferSize(%s KiB)%s%n",
                Long.parseLong(options.get("records")), options.get("customers"), options.get("checkpoint-ms"),
                options.get("heap"), options.get("timeout"), options.get("anchor-timeout"), options.get("budget-mb"),
                options.get("write-buffer-kb"),
                options.get("max-open").equals("0") ? "" : ", withMaxOpenPartFiles(" + options.get("max-open") + ")");

        List<Map<String, String>> results = new ArrayList<>();
        for (String side : options.get("sides").split(",")) {
            results.add(runSide(side.trim(), options));
        }

        System.out.println();
        System.out.printf("%-20s %-9s %11s %8s %11s %8s %10s %12s %9s %9s%n", "sink", "finished", "records", "seconds",
                "records/s", "MB/s", "max heap", "max live*", "GC s", "files");
        for (Map<String, String> r : results) {
            if (!r.containsKey("records")) {
                System.out.printf("%-20s %s%n", r.get("side"), r.get("failure"));
                continue;
            }
            if (r.containsKey("failure")) {
                System.out.printf("%-20s %-9s %,11d %8.1f %,11.0f %8s %10s %12s %9s %,9d   (%s)%n", r.get("side"),
                        r.get("finished"), Long.parseLong(r.get("records")), seconds(r), recordsPerSecond(r), "-", "-",
                        "-", "-", Long.parseLong(r.get("files")), r.get("failure").trim());
                continue;
            }
            System.out.printf("%-20s %-9s %,11d %8.1f %,11.0f %8.2f %10s %12s %9.1f %,9d%n", r.get("side"),
                    r.get("finished"), Long.parseLong(r.get("records")), seconds(r), recordsPerSecond(r),
                    Long.parseLong(r.get("bytes")) / seconds(r) / 1e6,
                    BenchmarkSupport.mib(Long.parseLong(r.get("maxHeap"))),
                    BenchmarkSupport.mib(Long.parseLong(r.get("maxLive"))),
                    Long.parseLong(r.get("gcMs")) / 1000.0, Long.parseLong(r.get("files")));
            if (Boolean.parseBoolean(r.get("finished")) && !r.get("verified").equals(r.get("records"))) {
                System.out.printf("  !! %s: the Parquet footers hold %s rows, %s were written%n",
                        r.get("side"), r.get("verified"), r.get("records"));
            }
        }
        System.out.println("* max live: the largest heap still in use after a full garbage collection (one every 10 s)");
        System.out.println("MB/s: bytes of finished Parquet files per second; a side that did not finish counts only "
                + "the records it wrote before the time limit (or, if it died, by its last progress line)");
        Map<String, String> ours = find(results, "ours");
        Map<String, String> flink = find(results, "flink");
        if (ours != null && flink != null && ours.containsKey("records") && flink.containsKey("records")) {
            System.out.printf("ours / Flink's FileSink: %.1fx records/s%s%n", recordsPerSecond(ours) / recordsPerSecond(flink),
                    "true".equals(flink.get("finished")) ? ""
                            : " (Flink's FileSink did not finish: "
                                    + ("false".equals(flink.get("finished")) ? "time limit" : flink.get("finished"))
                                    + " after " + String.format("%,d", Long.parseLong(flink.get("records")))
                                    + " records)");
        }
    }

    private static Map<String, String> runSide(String side, Map<String, String> options) throws Exception {
        String java = System.getProperty("java.home") + "/bin/java";
        List<String> command = new ArrayList<>(List.of(java, "-Xmx" + options.get("heap"), "-Xms" + options.get("heap"),
                "-XX:+ExitOnOutOfMemoryError",
                "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.util=ALL-UNNAMED",
                "--add-opens=java.base/java.io=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
                "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED", "--add-opens=java.base/java.net=ALL-UNNAMED",
                "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), ManyBucketsRun.class.getName(), "--side", side));
        String timeout = side.equals("ours") ? options.get("timeout") : options.get("anchor-timeout");
        command.add("--timeout");
        command.add(timeout);
        for (String key : List.of("records", "customers", "checkpoint-ms", "budget-mb", "max-open", "write-buffer-kb")) {
            command.add("--" + key);
            command.add(options.get(key));
        }
        command.add("--dir");
        command.add(options.get("dir") + "/" + side);

        System.out.printf("%n== %s%n", side);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        // The child stops itself at its time limit; this only ends one that hangs (e.g. collecting garbage forever).
        Thread watchdog = new Thread(() -> {
            try {
                if (!process.waitFor(Long.parseLong(timeout) + 180, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "watchdog-" + side);
        watchdog.setDaemon(true);
        watchdog.start();
        Map<String, String> result = new LinkedHashMap<>();
        result.put("side", side);
        String last = "";
        String[] lastProgress = null;
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                System.out.println("   " + line);
                if (line.startsWith("RESULT ")) {
                    for (String pair : line.substring(7).split(" ")) {
                        String[] kv = pair.split("=", 2);
                        result.put(kv[0], kv[1]);
                    }
                    result.put("side", side);
                } else if (!line.isBlank()) {
                    last = line;
                    Matcher progress = PROGRESS.matcher(line);
                    if (progress.find()) {
                        lastProgress = new String[] {progress.group(1), progress.group(2).replace(",", "")};
                    }
                }
            }
        }
        process.waitFor();
        if (!result.containsKey("records")) {
            // The side died (e.g. OutOfMemoryError): report what it had done by its last progress line.
            result.put("finished", last.contains("OutOfMemoryError") ? "OOM" : "died(" + process.exitValue() + ")");
            result.put("failure", last);
            if (lastProgress != null) {
                Path dir = Path.of(options.get("dir"), side);
                result.put("seconds", lastProgress[0]);
                result.put("records", lastProgress[1]);
                result.put("files", String.valueOf(BenchmarkSupport.finishedFiles(dir).size()));
                result.put("bytes", "0");
                result.put("maxHeap", "0");
                result.put("maxLive", "0");
                result.put("gcMs", "0");
            }
        }
        return result;
    }

    private static double seconds(Map<String, String> r) {
        return Double.parseDouble(r.get("seconds"));
    }

    private static double recordsPerSecond(Map<String, String> r) {
        return Long.parseLong(r.get("records")) / seconds(r);
    }

    private static Map<String, String> find(List<Map<String, String>> results, String side) {
        return results.stream().filter(r -> r.get("side").equals(side)).findFirst().orElse(null);
    }
}
