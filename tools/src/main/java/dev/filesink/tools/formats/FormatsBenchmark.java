package dev.filesink.tools.formats;

import dev.filesink.tools.BenchmarkSupport;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Formats benchmark, ours vs Flink's own FileSink in one run, each side in its own JVM with a 512 MiB heap,
 * STREAMING with a checkpoint every 10 s, parallelism 1:
 *
 * <ul>
 *   <li>Parquet (snappy), 2M records into 20 buckets;</li>
 *   <li>Parquet (snappy), 2M records into 2,000 buckets (every checkpoint rolls ~2,000 part files);</li>
 *   <li>JSON lines (gzip), 5M records: ours vs Flink's FileSink with flink-compress's gzip writer (Hadoop's
 *       default level 6; ours at {@code --gzip-level}, default 6 as well, with our default parallel compression
 *       unless {@code --compression-threads} (0: inline) or {@code --compression-block-kib} say otherwise).</li>
 * </ul>
 *
 * Prints records/s, MB/s of finished output and ours/Flink ratios. A side that does not finish within the timeout
 * is reported with what it had committed by then.
 */
public final class FormatsBenchmark {

    /** The command line, for options passed on to our side (--compression-threads, --compression-block-kib). */
    private static final Map<String, String> OURS_OPTIONS = new HashMap<>();

    public static void main(String[] args) throws Exception {
        Map<String, String> options = BenchmarkSupport.arguments(args);
        OURS_OPTIONS.putAll(options);
        long parquetRecords = Long.parseLong(options.getOrDefault("parquet-records", "2000000"));
        long jsonRecords = Long.parseLong(options.getOrDefault("json-records", "5000000"));
        long timeout = Long.parseLong(options.getOrDefault("timeout", "300"));
        String heap = options.getOrDefault("heap", "512m");
        String only = options.getOrDefault("only", "all");
        String gzipLevel = options.getOrDefault("gzip-level", "6");
        java.nio.file.Path dir = java.nio.file.Path.of(options.getOrDefault("dir", "/tmp/filesink-formats-bench"));

        List<String[]> scenarios = new ArrayList<>();
        scenarios.add(new String[] {"parquet-20", "parquet", Long.toString(parquetRecords), "20"});
        scenarios.add(new String[] {"parquet-2000", "parquet", Long.toString(parquetRecords), "2000"});
        scenarios.add(new String[] {"json-gzip", "json", Long.toString(jsonRecords), "1"});

        System.out.printf("Formats benchmark: heap %s, checkpoint every 10 s, parallelism 1, timeout %d s per side%n%n",
                heap, timeout);
        // "records/s" is over the whole job (start-up of the MiniCluster included, about 2.5 s on each side);
        // "writing rec/s" is from the first record the source made to the end of the job.
        System.out.printf("%-13s %-6s %9s %10s %12s %14s %9s %8s %7s %8s%n", "scenario", "side", "finished",
                "records", "records/s", "writing rec/s", "MB/s", "files", "seconds", "start-up");
        List<String> ratios = new ArrayList<>();
        for (String[] scenario : scenarios) {
            if (!only.equals("all") && !only.equals(scenario[0])) {
                continue;
            }
            Map<String, Map<String, String>> results = new HashMap<>();
            for (String side : List.of("ours", "flink")) {
                Map<String, String> result =
                        run(heap, scenario, side, timeout, dir.resolve(scenario[0] + "-" + side), gzipLevel);
                results.put(side, result);
                double seconds = Double.parseDouble(result.get("seconds"));
                long records = Long.parseLong(result.get("records"));
                long bytes = Long.parseLong(result.get("bytes"));
                if (Double.isNaN(seconds)) {
                    System.out.printf("%-13s %-6s %9s%n", scenario[0], side, "died");
                    continue;
                }
                double startup = Double.parseDouble(result.getOrDefault("startup", "0"));
                System.out.printf("%-13s %-6s %9s %,10d %,12.0f %,14.0f %9.1f %,8d %7.1f %8.1f%n", scenario[0], side,
                        result.get("finished"), records, records / seconds, records / (seconds - startup),
                        bytes / seconds / 1e6, Long.parseLong(result.get("files")), seconds, startup);
            }
            double ours = rate(results.get("ours"));
            double flink = rate(results.get("flink"));
            String flinkState = results.get("flink").get("finished");
            ratios.add(flinkState.equals("died")
                    ? String.format("%-13s ours %,.0f records/s; Flink's side died (see its errors above)", scenario[0], ours)
                    : String.format("%-13s ours/Flink records/s: %.2fx (writing only: %.2fx)%s", scenario[0],
                            ours / flink, writingRate(results.get("ours")) / writingRate(results.get("flink")),
                            flinkState.equals("true") ? "" : " (Flink timed out; its rate so far)"));
        }
        System.out.println();
        ratios.forEach(System.out::println);
    }

    private static double writingRate(Map<String, String> result) {
        double seconds = Double.parseDouble(result.get("seconds"))
                - Double.parseDouble(result.getOrDefault("startup", "0"));
        return Double.isNaN(seconds) ? 0 : Long.parseLong(result.get("records")) / seconds;
    }

    private static double rate(Map<String, String> result) {
        double seconds = Double.parseDouble(result.get("seconds"));
        return Double.isNaN(seconds) ? 0 : Long.parseLong(result.get("records")) / seconds;
    }

    private static Map<String, String> run(
            String heap, String[] scenario, String side, long timeout, java.nio.file.Path dir, String gzipLevel)
            throws Exception {
        List<String> command = new ArrayList<>(List.of(
                System.getProperty("java.home") + File.separator + "bin" + File.separator + "java",
                "-Xmx" + heap, "-Xms" + heap, "-XX:+UseParallelGC",
                "--add-opens=java.base/java.util=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED",
                "-Dlog4j2.level=WARN",
                "-cp", System.getProperty("java.class.path"),
                FormatsBenchmarkRun.class.getName(),
                "--scenario", scenario[1], "--side", side, "--records", scenario[2], "--buckets", scenario[3],
                "--timeout", Long.toString(timeout), "--checkpoint-ms", "10000", "--dir", dir.toString(),
                "--gzip-level", gzipLevel));
        for (String passed : List.of("compression-threads", "compression-block-kib")) {
            if (OURS_OPTIONS.containsKey(passed)) {
                command.addAll(List.of("--" + passed, OURS_OPTIONS.get(passed)));
            }
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        Map<String, String> result = new HashMap<>();
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.startsWith("RESULT ")) {
                    for (String pair : line.substring(7).split(" ")) {
                        String[] kv = pair.split("=", 2);
                        result.put(kv[0], kv[1]);
                    }
                } else if (line.contains("Exception") || line.startsWith("\tat ")) {
                    System.err.println("  [" + scenario[0] + " " + side + "] " + line);
                }
            }
        }
        process.waitFor();
        BenchmarkSupport.deleteRecursively(dir);
        if (result.isEmpty()) {
            // The side died (e.g. out of memory, which stops a Flink JVM): it delivered nothing we could count.
            result.put("finished", "died");
            result.put("seconds", "NaN");
            result.put("records", "0");
            result.put("bytes", "0");
            result.put("files", "0");
        }
        return result;
    }
}
