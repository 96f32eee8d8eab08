package dev.filesink.tools;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Shared pieces of the benchmarks: arguments, a heap sampler, folder cleanup, number formatting. */
public final class BenchmarkSupport {

    private BenchmarkSupport() {}

    /** Parses {@code --key value} pairs. */
    public static Map<String, String> arguments(String[] args) {
        Map<String, String> result = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("Expected --option value pairs, got '" + args[i] + "'");
            }
            result.put(args[i].substring(2), args[i + 1]);
        }
        return result;
    }

    public static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    public static long sizeOf(Path root) throws IOException {
        if (!Files.exists(root)) {
            return 0;
        }
        try (var files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    public static long countFiles(Path root) throws IOException {
        if (!Files.exists(root)) {
            return 0;
        }
        try (var files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).count();
        }
    }

    /** Finished part files below a sink's output folder: not hidden, in no hidden or underscore directory. */
    public static List<Path> finishedFiles(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (var files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .filter(file -> {
                        for (Path part : dir.relativize(file)) {
                            if (part.toString().startsWith(".") || part.toString().startsWith("_")) {
                                return false;
                            }
                        }
                        return true;
                    })
                    .toList();
        }
    }

    /**
     * Samples the heap every 100 ms; {@link #stop()} returns the largest live heap seen, that is the heap in use
     * right after a garbage collection (what a job really holds, not garbage waiting to be collected).
     */
    public static final class HeapSampler {
        private final List<MemoryPoolMXBean> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(pool -> pool.getType() == MemoryType.HEAP && pool.getCollectionUsage() != null)
                .toList();
        private final Thread thread;
        private volatile boolean running = true;
        private volatile long max;

        public HeapSampler() {
            System.gc();
            thread = new Thread(() -> {
                while (running) {
                    long live = 0;
                    for (MemoryPoolMXBean pool : heapPools) {
                        live += pool.getCollectionUsage().getUsed();
                    }
                    max = Math.max(max, live);
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "heap-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        public long stop() throws InterruptedException {
            running = false;
            thread.join();
            return max;
        }
    }

    public static String mib(long bytes) {
        return String.format("%.0f MiB", bytes / 1024.0 / 1024.0);
    }
}
