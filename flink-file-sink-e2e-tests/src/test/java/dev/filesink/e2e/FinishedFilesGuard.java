package dev.filesink.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Watches a destination for the whole test, across process kills and restarts: a finished (visible) file, once
 * seen, must never change its size and never disappear. Catches partial files that become visible and grow, and
 * committed files that a recovery overwrites or deletes.
 */
public final class FinishedFilesGuard implements AutoCloseable {

    private final String destination;
    private final Supplier<Map<String, Long>> visibleSizes;
    private final Map<String, Long> sizes = new HashMap<>();
    private final List<String> violations = new ArrayList<>();
    private final Thread thread;
    private final long pollMillis;
    private volatile boolean running = true;

    /** Guards any destination: {@code visibleSizes} lists its finished files and their sizes. */
    public FinishedFilesGuard(String destination, Supplier<Map<String, Long>> visibleSizes) {
        this(destination, visibleSizes, java.time.Duration.ofMillis(50));
    }

    /** Lists every {@code poll} (long runs: a listing of thousands of files every 50 ms would load the store). */
    public FinishedFilesGuard(String destination, Supplier<Map<String, Long>> visibleSizes, java.time.Duration poll) {
        this.destination = destination;
        this.visibleSizes = visibleSizes;
        this.pollMillis = poll.toMillis();
        this.thread = new Thread(this::poll, "finished-files-guard");
        thread.setDaemon(true);
        thread.start();
    }

    /** Guards a local folder. */
    public FinishedFilesGuard(Path root) {
        this(root.toString(), () -> localSizes(root));
    }

    private static Map<String, Long> localSizes(Path root) {
        Map<String, Long> sizes = new HashMap<>();
        for (Path file : LocalFolder.visibleFiles(root)) {
            try {
                sizes.put(file.toString(), Files.size(file));
            } catch (NoSuchFileException e) {
                sizes.put(file.toString(), -1L); // reported as a change: visible files must not vanish
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return sizes;
    }

    private void poll() {
        while (running) {
            check();
            try {
                Thread.sleep(pollMillis);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private synchronized void check() {
        Map<String, Long> now;
        try {
            now = visibleSizes.get();
        } catch (RuntimeException e) {
            violate("the guard could not list " + destination + ": " + e);
            return;
        }
        recordChanges(now);
    }

    private void recordChanges(Map<String, Long> now) {
        now.forEach((file, size) -> {
            Long before = sizes.putIfAbsent(file, size);
            if (before != null && !before.equals(size)) {
                violate(file + " changed from " + before + " to " + size + " bytes after it was visible");
            }
        });
        for (String known : sizes.keySet()) {
            if (!now.containsKey(known)) {
                violate(known + " disappeared after it was visible");
            }
        }
    }

    private void violate(String violation) {
        if (violations.size() < 50) {
            violations.add(violation);
        }
    }

    /** Stops watching, takes a last look and returns every violation seen. */
    public List<String> violations() {
        close();
        check();
        synchronized (this) {
            return new ArrayList<>(violations);
        }
    }

    @Override
    public void close() {
        running = false; // not interrupted: a listing in flight (an HTTP call) must end normally
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
