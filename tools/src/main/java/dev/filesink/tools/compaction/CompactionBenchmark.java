package dev.filesink.tools.compaction;

import dev.filesink.tools.BenchmarkSupport;

import org.apache.flink.api.common.serialization.SimpleStringEncoder;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.file.sink.compactor.ConcatFileCompactor;
import org.apache.flink.connector.file.sink.compactor.FileCompactStrategy;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

import java.io.InputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Compaction benchmark (issue #12): 200 buckets rolled on every checkpoint, compaction on, STREAMING with 1 s
 * checkpoints, parallelism 2, a local folder, for two minutes: our sink vs Flink's FileSink with {@code enableCompact},
 * the same {@link FileCompactStrategy} and {@link ConcatFileCompactor}, one after the other in one JVM, plus a
 * discarding sink as the upper bound. Every run's files are read back (every record exactly once, nothing hidden
 * left). With {@code --storage s3|azure} it runs ours against s3proxy or Azurite instead
 * ({@link ObjectStoreCompactionBenchmark}).
 *
 * <p>Usage: {@code tools/bench-compaction.sh [--seconds 120 | --records N] [--parallelism 2] [--checkpoint-ms 1000]
 * [--buckets 200] [--size-threshold-mb 16] [--every-checkpoints 10] [--threads 2] [--warmup-seconds 15]
 * [--sides ours,flink,discarding] [--max-gb 25] [--dir /tmp/filesink-compaction-bench] [--storage local|s3|azure]}.
 * Sides: {@code ours}, {@code flink}, {@code discarding}, and for diagnosis {@code ours-nocompact} and
 * {@code flink-nocompact} (the same job, compaction off). A size threshold or checkpoint count of 0 leaves that trigger off.
 */
public final class CompactionBenchmark {

    /** The sinks a run can compare. */
    enum Side {
        OURS("ours (dev.filesink)"),
        FLINK("Flink FileSink"),
        OURS_NOCOMPACT("ours, no compaction"),
        FLINK_NOCOMPACT("Flink, no compaction"),
        DISCARDING("DiscardingSink");

        final String label;

        Side(String label) {
            this.label = label;
        }

        static Side of(String name) {
            return Side.valueOf(name.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        }
    }

    record Settings(int parallelism, long checkpointMillis, long seconds, long records, int buckets,
            long sizeThreshold, int everyCheckpoints, int threads, long maxBytes) {

        static Settings of(Map<String, String> options) {
            Settings settings = new Settings(
                    Integer.parseInt(options.getOrDefault("parallelism", "2")),
                    Long.parseLong(options.getOrDefault("checkpoint-ms", "1000")),
                    Long.parseLong(options.getOrDefault("seconds", "120")),
                    Long.parseLong(options.getOrDefault("records", "0")),
                    Integer.parseInt(options.getOrDefault("buckets", "200")),
                    (long) (Double.parseDouble(options.getOrDefault("size-threshold-mb", "16")) * 1024 * 1024),
                    Integer.parseInt(options.getOrDefault("every-checkpoints", "10")),
                    Integer.parseInt(options.getOrDefault("threads", "2")),
                    (long) (Double.parseDouble(options.getOrDefault("max-gb", "25")) * 1e9));
            if (settings.sizeThreshold <= 0 && settings.everyCheckpoints <= 0) {
                throw new IllegalArgumentException(
                        "--size-threshold-mb and --every-checkpoints are both off: the strategy needs one of them");
            }
            return settings;
        }

        FileCompactStrategy strategy() {
            FileCompactStrategy.Builder builder = FileCompactStrategy.Builder.newBuilder().setNumCompactThreads(threads);
            if (sizeThreshold > 0) {
                builder.setSizeThreshold(sizeThreshold);
            }
            if (everyCheckpoints > 0) {
                builder.enableCompactionOnCheckpoint(everyCheckpoints);
            }
            return builder.build();
        }

        TimedRun run(long secondsOverride) {
            return run(secondsOverride, true);
        }

        /** The disk guard ({@code --max-gb}) applies to sides that write files only. */
        TimedRun run(long secondsOverride, boolean writesFiles) {
            return new TimedRun(parallelism, checkpointMillis, secondsOverride, secondsOverride == seconds ? records : 0,
                    writesFiles ? maxBytes : Long.MAX_VALUE);
        }

        String describe() {
            return String.format(Locale.ROOT, "%s, %d buckets rolled on every checkpoint, STREAMING, checkpoint every "
                            + "%d ms, parallelism %d; FileCompactStrategy: size threshold %s, every %s checkpoints, "
                            + "%d threads; ConcatFileCompactor",
                    records > 0 ? String.format("%,d records", records) : seconds + " s per sink (or " + maxBytes / 1e9
                            + " GB)", buckets, checkpointMillis, parallelism,
                    sizeThreshold > 0 ? BenchmarkSupport.mib(sizeThreshold) : "off",
                    everyCheckpoints > 0 ? String.valueOf(everyCheckpoints) : "off", threads);
        }
    }

    /** One side's measurement and what its output looked like at the end. */
    record Result(Side side, TimedRun.Stats stats, LocalOutput output, String check, Map<String, Long> metrics) {}

    public static void main(String[] args) throws Exception {
        Map<String, String> options = BenchmarkSupport.arguments(args);
        String storage = options.getOrDefault("storage", "local");
        if (!storage.equals("local")) {
            try {
                ObjectStoreCompactionBenchmark.run(storage, options);
            } catch (ObjectStoreCompactionBenchmark.BenchmarkFailed failed) {
                System.exit(1);
            }
            System.exit(0); // Flink's and the servers' threads would keep the JVM alive
        }
        Settings settings = Settings.of(options);
        java.nio.file.Path dir = java.nio.file.Path.of(options.getOrDefault("dir", "/tmp/filesink-compaction-bench"));
        List<Side> sides = new ArrayList<>();
        for (String side : options.getOrDefault("sides", "ours,flink,discarding").split(",")) {
            sides.add(Side.of(side));
        }
        long warmup = Long.parseLong(options.getOrDefault("warmup-seconds", "15"));

        System.out.println("Compaction benchmark, local folder " + dir + ": " + settings.describe());
        if (warmup > 0) {
            System.out.println("  warm-up (" + warmup + " s each, not measured)");
            for (Side side : List.of(Side.OURS, Side.FLINK)) {
                java.nio.file.Path out = dir.resolve("warmup");
                BenchmarkSupport.deleteRecursively(out);
                settings.run(warmup).run("warm-up " + side.label, sink(side, out, settings));
                BenchmarkSupport.deleteRecursively(out);
            }
        }
        List<Result> results = new ArrayList<>();
        for (Side side : sides) {
            results.add(runSide(side, dir, settings));
        }
        print(results, settings);
        System.exit(results.stream().allMatch(r -> r.check.equals("OK") || r.check.equals("-")) ? 0 : 1);
    }

    private static Result runSide(Side side, java.nio.file.Path dir, Settings settings) throws Exception {
        java.nio.file.Path out = dir.resolve(side.name().toLowerCase(Locale.ROOT));
        BenchmarkSupport.deleteRecursively(out);
        Files.createDirectories(out);
        System.out.printf("%n== %s%n", side.label);
        TimedRun.Stats stats = settings.run(settings.seconds, side != Side.DISCARDING)
                .run(side.label, sink(side, out, settings));
        Map<String, Long> metrics = new HashMap<>();
        for (String name : List.of("partFilesRolled", "compaction.compactions", "compaction.inputFiles",
                "compaction.inputBytes", "compaction.outputFiles", "compaction.outputBytes",
                "compaction.bytesThroughTaskManager", "compaction.filesPassedThrough")) {
            metrics.put(name, BenchMetrics.count("fileSink." + name));
        }
        LocalOutput output = LocalOutput.of(out);
        String check = "-";
        if (side != Side.DISCARDING) {
            long readStart = System.nanoTime();
            RecordCheck records = new RecordCheck();
            for (java.nio.file.Path file : output.visible()) {
                try (InputStream in = Files.newInputStream(file)) {
                    records.read(file.toString(), in);
                }
            }
            String verdict = records.verdict(stats.perSubtask());
            check = verdict == null && output.hidden().isEmpty()
                    ? "OK"
                    : "FAILED: " + (verdict == null ? "" : verdict + "; ")
                            + (output.hidden().isEmpty() ? "" : output.hidden().size() + " hidden files left, e.g. "
                                    + output.hidden().get(0));
            System.out.printf("    read back %,d records in %.0f s: %s%n", records.records(),
                    (System.nanoTime() - readStart) / 1e9, check);
        }
        Result result = new Result(side, stats, output, check, metrics);
        System.out.printf(Locale.ROOT, "    %,d records in %.1f s (drain %.1f s): %,.0f records/s; %d visible files "
                        + "(%d compacted), %s; checkpoints: %s%n", stats.records(), stats.seconds(),
                stats.drainSeconds(), stats.recordsPerSecond(), output.visible().size(), output.compacted(),
                BenchmarkSupport.mib(output.visibleBytes()), stats.checkpoints());
        if (side == Side.OURS) {
            System.out.println("    our compaction metrics: " + metrics);
        }
        BenchmarkSupport.deleteRecursively(out);
        return result;
    }

    static Sink<String> sink(Side side, java.nio.file.Path out, Settings settings) {
        Path base = new Path(out.toUri());
        switch (side) {
            case OURS:
            case OURS_NOCOMPACT:
                dev.filesink.FileSink.DefaultRowFormatBuilder<String> ours =
                        dev.filesink.FileSink.forRowFormat(base, new SimpleStringEncoder<String>())
                                .withBucketAssigner(new SequenceBuckets(settings.buckets))
                                .withRollingPolicy(dev.filesink.rollingpolicies.OnCheckpointRollingPolicy.build());
                if (side == Side.OURS) {
                    ours.enableCompact(settings.strategy(), new ConcatFileCompactor());
                }
                return ours.build();
            case FLINK:
            case FLINK_NOCOMPACT:
                org.apache.flink.connector.file.sink.FileSink.DefaultRowFormatBuilder<String> flink =
                        org.apache.flink.connector.file.sink.FileSink.forRowFormat(base, new SimpleStringEncoder<String>())
                                .withBucketAssigner(new SequenceBuckets(settings.buckets))
                                .withRollingPolicy(org.apache.flink.streaming.api.functions.sink.filesystem
                                        .rollingpolicies.OnCheckpointRollingPolicy.build());
                if (side == Side.FLINK) {
                    flink.enableCompact(settings.strategy(), new ConcatFileCompactor());
                }
                return flink.build();
            case DISCARDING:
                return new DiscardingSink<>();
            default:
                throw new IllegalArgumentException(side.toString());
        }
    }

    private static void print(List<Result> results, Settings settings) {
        System.out.println();
        System.out.println("Compaction benchmark: " + settings.describe());
        System.out.printf("%-22s %13s %7s %6s %12s %12s %8s %8s %9s %10s %11s %12s  %-30s %s%n", "sink", "records",
                "seconds", "drain", "records/s", "before stop", "MB/s", "visible", "compacted", "not comp.", "bytes", "read back", "checkpoints", "check");
        for (Result r : results) {
            boolean files = r.side != Side.DISCARDING;
            System.out.printf(Locale.ROOT, "%-22s %,13d %7.1f %6.1f %,12.0f %,12.0f %8.1f %8s %9s %10s %11s %12s  %-30s %s%n",
                    r.side.label, r.stats.records(), r.stats.seconds(), r.stats.drainSeconds(), r.stats.recordsPerSecond(),
                    r.stats.recordsPerSecondBeforeStop(),
                    r.stats.records() * (double) NumberedRecords.RECORD_BYTES / 1e6 / r.stats.seconds(),
                    files ? r.output.visible().size() : "-", files ? r.output.compacted() : "-",
                    files ? r.output.visible().size() - r.output.compacted() : "-",
                    files ? BenchmarkSupport.mib(r.output.visibleBytes()) : "-", readBack(r), r.stats.checkpoints(),
                    r.check);
        }
        System.out.println("seconds: from the first source reader's start to the job's end, including the drain (the "
                + "stop with drain, where each sink compacts and commits everything still waiting); records/s = "
                + "records / seconds; before stop: records / (seconds - drain).");
        System.out.println("read back: bytes the compaction read again. Ours: fileSink.compaction.inputBytes (it also "
                + "wrote as many: bytesThroughTaskManager = input + output). Flink's: the sizes of its compacted-* "
                + "files, which ConcatFileCompactor (no delimiter) copies byte for byte from its inputs.");
        Result ours = find(results, Side.OURS);
        Result flink = find(results, Side.FLINK);
        Result discarding = find(results, Side.DISCARDING);
        if (ours != null && flink != null) {
            System.out.printf(Locale.ROOT, "ours / Flink FileSink: %.2fx records/s; visible files %d vs %d%n",
                    ours.stats.recordsPerSecond() / flink.stats.recordsPerSecond(), ours.output.visible().size(),
                    flink.output.visible().size());
        }
        if (ours != null && discarding != null) {
            System.out.printf(Locale.ROOT, "ours / DiscardingSink: %.0f%% records/s%n",
                    100 * ours.stats.recordsPerSecond() / discarding.stats.recordsPerSecond());
        }
        for (Result r : results) {
            if (!r.check.equals("OK") && !r.check.equals("-")) {
                System.out.println("!! " + r.side.label + ": " + r.check + " -- its numbers are meaningless");
            }
        }
    }

    private static String readBack(Result r) {
        switch (r.side) {
            case OURS:
                return BenchmarkSupport.mib(r.metrics.get("compaction.inputBytes"));
            case FLINK:
                return BenchmarkSupport.mib(r.output.compactedBytes());
            default:
                return "-";
        }
    }

    private static Result find(List<Result> results, Side side) {
        return results.stream().filter(r -> r.side == side).findFirst().orElse(null);
    }
}
