package dev.filesink.tools.core;

import dev.filesink.tools.BenchmarkSupport;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.SimpleStringEncoder;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Local file system benchmark: the same job (N records of about 100 bytes, SimpleStringEncoder, hourly date-time
 * buckets, 128 MiB parts, STREAMING with 1 s checkpoints at parallelism 1 and 2, and BATCH) into our sink, Flink's
 * own FileSink and a discarding sink, in one run; prints records/s, MB/s, peak heap and the ratios.
 *
 * <p>Usage: {@code tools/bench-core.sh [--records 10000000] [--dir /tmp/filesink-bench] [--repeat 1]
 * [--only ours,flink,discarding] [--modes streaming_p1,streaming_p2,batch_p1]}. With
 * {@code --repeat n} the variants run interleaved n times and the best run of each counts, which evens out a
 * machine shared with other work.
 */
public final class LocalSinkBenchmark {

    private static final String PADDING = "y".repeat(88);

    public static void main(String[] args) throws Exception {
        Map<String, String> options = BenchmarkSupport.arguments(args);
        long records = Long.parseLong(options.getOrDefault("records", "10000000"));
        int repeat = Integer.parseInt(options.getOrDefault("repeat", "1"));
        java.nio.file.Path dir = java.nio.file.Path.of(options.getOrDefault("dir", "/tmp/filesink-bench"));
        // For profiling one variant: --only ours|flink|discarding (comma-separated), --modes streaming_p1,batch_p1
        List<Target> targets = selected(options.get("only"), Target.values());
        List<Mode> modes = selected(options.get("modes"), Mode.values());

        System.out.printf("Local file system benchmark: %,d records of ~100 bytes into %s%n", records, dir);
        run("warm-up", Target.OURS, RuntimeExecutionMode.STREAMING, 1, Math.min(records, 1_000_000), dir);

        List<Result> results = new ArrayList<>();
        for (int round = 0; round < repeat; round++) {
            for (Mode mode : modes) {
                for (Target target : targets) {
                    Result result = run(mode.label, target, mode.runtimeMode, mode.parallelism, records, dir);
                    results.removeIf(r -> r.mode.equals(result.mode) && r.target == result.target
                            && r.millis > result.millis);
                    if (results.stream().noneMatch(r -> r.mode.equals(result.mode) && r.target == result.target)) {
                        results.add(result);
                    }
                }
            }
        }

        results.sort(java.util.Comparator.comparing((Result r) -> modeOf(r.mode).ordinal())
                .thenComparing(r -> r.target.ordinal()));
        System.out.println();
        System.out.printf("%-22s %-18s %14s %10s %11s %8s%n", "mode", "sink", "records/s", "MB/s", "live heap", "files");
        for (Result r : results) {
            System.out.printf("%-22s %-18s %,14.0f %10.1f %11s %8d%n", r.mode, r.target.label, r.recordsPerSecond(),
                    r.megabytesPerSecond(), BenchmarkSupport.mib(r.peakHeap), r.files);
        }
        System.out.println();
        if (targets.size() < Target.values().length) {
            return;
        }
        for (Mode mode : modes) {
            Result ours = find(results, mode.label, Target.OURS);
            Result flink = find(results, mode.label, Target.FLINK);
            Result discarding = find(results, mode.label, Target.DISCARDING);
            System.out.printf("%-22s ours/Flink FileSink = %.2fx   ours/discarding = %.0f%%%n", mode.label,
                    ours.recordsPerSecond() / flink.recordsPerSecond(),
                    100 * ours.recordsPerSecond() / discarding.recordsPerSecond());
        }
    }

    private static <E extends Enum<E>> List<E> selected(String names, E[] all) {
        if (names == null) {
            return List.of(all);
        }
        List<E> chosen = new ArrayList<>();
        for (String name : names.split(",")) {
            chosen.add(java.util.Arrays.stream(all).filter(e -> e.name().equalsIgnoreCase(name.trim())).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown choice '" + name + "', expected one of "
                            + java.util.Arrays.toString(all))));
        }
        return chosen;
    }

    private static Mode modeOf(String label) {
        for (Mode mode : Mode.values()) {
            if (mode.label.equals(label)) {
                return mode;
            }
        }
        throw new IllegalArgumentException(label);
    }

    private static Result find(List<Result> results, String mode, Target target) {
        return results.stream().filter(r -> r.mode.equals(mode) && r.target == target).findFirst().orElseThrow();
    }

    private static Result run(String mode, Target target, RuntimeExecutionMode runtimeMode, int parallelism,
            long records, java.nio.file.Path dir) throws Exception {
        java.nio.file.Path out = dir.resolve(target.name().toLowerCase());
        BenchmarkSupport.deleteRecursively(out);
        Files.createDirectories(out);

        Configuration conf = new Configuration();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setRuntimeMode(runtimeMode);
        env.setParallelism(parallelism);
        if (runtimeMode == RuntimeExecutionMode.STREAMING) {
            env.enableCheckpointing(1_000);
        }
        GeneratorFunction<Long, String> generator = i -> "event-" + i + '-' + PADDING;
        env.fromSource(new DataGeneratorSource<>(generator, records, Types.STRING), WatermarkStrategy.noWatermarks(),
                        "records")
                .sinkTo(target.sink(new Path(out.toUri())));

        BenchmarkSupport.HeapSampler heap = new BenchmarkSupport.HeapSampler();
        JobExecutionResult result = env.execute(mode + " " + target.label);
        long peakHeap = heap.stop();
        long millis = result.getNetRuntime(TimeUnit.MILLISECONDS);
        Result r = new Result(mode, target, records, millis, BenchmarkSupport.sizeOf(out), peakHeap,
                BenchmarkSupport.countFiles(out));
        System.out.printf("  %-22s %-18s %,12.0f records/s  %8.1f MB/s  (%d ms)%n", mode, target.label,
                r.recordsPerSecond(), r.megabytesPerSecond(), millis);
        BenchmarkSupport.deleteRecursively(out);
        return r;
    }

    enum Mode {
        STREAMING_P1("STREAMING p=1", RuntimeExecutionMode.STREAMING, 1),
        STREAMING_P2("STREAMING p=2", RuntimeExecutionMode.STREAMING, 2),
        BATCH_P1("BATCH p=1", RuntimeExecutionMode.BATCH, 1);

        final String label;
        final RuntimeExecutionMode runtimeMode;
        final int parallelism;

        Mode(String label, RuntimeExecutionMode runtimeMode, int parallelism) {
            this.label = label;
            this.runtimeMode = runtimeMode;
            this.parallelism = parallelism;
        }
    }

    enum Target {
        OURS("dev.filesink") {
            @Override
            Sink<String> sink(Path path) {
                return dev.filesink.FileSink.forRowFormat(path, new SimpleStringEncoder<String>())
                        .withBucketAssigner(new dev.filesink.bucketassigners.DateTimeBucketAssigner<>())
                        .withRollingPolicy(dev.filesink.rollingpolicies.DefaultRollingPolicy.builder()
                                .withMaxPartSize(MemorySize.ofMebiBytes(128)).build())
                        .build();
            }
        },
        FLINK("Flink FileSink") {
            @Override
            Sink<String> sink(Path path) {
                return org.apache.flink.connector.file.sink.FileSink.forRowFormat(path, new SimpleStringEncoder<String>())
                        .withBucketAssigner(
                                new org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.DateTimeBucketAssigner<>())
                        .withRollingPolicy(org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies
                                .DefaultRollingPolicy.builder().withMaxPartSize(MemorySize.ofMebiBytes(128)).build())
                        .build();
            }
        },
        DISCARDING("DiscardingSink") {
            @Override
            Sink<String> sink(Path path) {
                return new DiscardingSink<>();
            }
        };

        final String label;

        Target(String label) {
            this.label = label;
        }

        abstract Sink<String> sink(Path path);
    }

    record Result(String mode, Target target, long records, long millis, long bytes, long peakHeap, long files) {
        double recordsPerSecond() {
            return records * 1000.0 / millis;
        }

        double megabytesPerSecond() {
            long written = target == Target.DISCARDING ? records * 100L : bytes;
            return written / 1e6 / (millis / 1000.0);
        }
    }
}
