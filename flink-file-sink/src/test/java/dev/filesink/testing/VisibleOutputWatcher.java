package dev.filesink.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Polls a sink's output while a job runs and records every violation of "a finished file, once visible, never
 * changes and never disappears" (which also catches partial files becoming visible and then growing), and whatever
 * an optional check finds wrong with a file when it first becomes visible.
 *
 * <p>The output is read through a listing: finished file name to a fingerprint that changes with the content (a
 * size, an ETag). The listing of each round is taken before any check of that round runs, so a check may rely on
 * state the listing captured first. A listing that throws (a server down on purpose) skips the round.
 */
public final class VisibleOutputWatcher implements AutoCloseable {

    private final Supplier<Map<String, String>> listing;
    private final Consumer<String> onNewFile;
    private final long pollMillis;
    private final Map<String, String> fingerprints = new HashMap<>();
    private final List<String> violations = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    /**
     * @param listing the finished files now visible, each with its fingerprint
     * @param onNewFile called once for each file when it first becomes visible; what it throws is a violation
     */
    public VisibleOutputWatcher(String name, Supplier<Map<String, String>> listing, Consumer<String> onNewFile,
            long pollMillis) {
        this.listing = listing;
        this.onNewFile = onNewFile;
        this.pollMillis = pollMillis;
        this.thread = new Thread(this::poll, name + "-watcher");
        thread.setDaemon(true);
        thread.start();
    }

    /** Watches the finished files below a local folder (fingerprint: size). */
    public static VisibleOutputWatcher ofFolder(Path root) {
        return new VisibleOutputWatcher("visible-files", () -> sizes(root), file -> {}, 20);
    }

    private static Map<String, String> sizes(Path root) {
        Map<String, String> sizes = new HashMap<>();
        for (Path file : FinishedFiles.visible(root)) {
            try {
                sizes.put(file.toString(), Long.toString(Files.size(file)));
            } catch (NoSuchFileException gone) {
                // Listed, then gone: a fingerprint of its own, so this round or the next reports it.
                sizes.put(file.toString(), "vanished");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return sizes;
    }

    private void poll() {
        while (running) {
            try {
                check();
            } catch (RuntimeException unreachable) {
                // The store may be down on purpose; the next round looks again.
            }
            try {
                Thread.sleep(pollMillis);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private synchronized void check() {
        Map<String, String> now = listing.get();
        for (Map.Entry<String, String> file : now.entrySet()) {
            String before = fingerprints.putIfAbsent(file.getKey(), file.getValue());
            if (before == null) {
                try {
                    onNewFile.accept(file.getKey());
                } catch (AssertionError | RuntimeException e) {
                    violations.add(file.getKey() + ": " + e.getMessage());
                }
            } else if (!before.equals(file.getValue())) {
                violations.add(file.getKey() + " changed from " + before + " to " + file.getValue()
                        + " after it was visible");
            }
        }
        for (String known : fingerprints.keySet()) {
            if (!now.containsKey(known)) {
                violations.add(known + " disappeared after it was visible");
            }
        }
    }

    /** Stops watching (after a last look) and returns what went wrong. */
    public synchronized List<String> violations() {
        running = false;
        check();
        return new ArrayList<>(violations);
    }

    /** How many finished files were seen so far. */
    public synchronized int seen() {
        return fingerprints.size();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(5_000);
    }
}
