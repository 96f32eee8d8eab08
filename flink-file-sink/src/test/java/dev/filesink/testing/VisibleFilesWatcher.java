package dev.filesink.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Polls a folder while a job runs and records every violation of "a finished file, once visible, never changes and
 * never disappears" (which also catches partial files becoming visible and then growing).
 */
public final class VisibleFilesWatcher implements AutoCloseable {

    private final Path root;
    private final Map<Path, Long> sizes = new HashMap<>();
    private final List<String> violations = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    public VisibleFilesWatcher(Path root) {
        this.root = root;
        this.thread = new Thread(this::poll, "visible-files-watcher");
        thread.setDaemon(true);
        thread.start();
    }

    private void poll() {
        while (running) {
            check();
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private synchronized void check() {
        for (Path file : FinishedFiles.visible(root)) {
            try {
                long size = Files.size(file);
                Long before = sizes.putIfAbsent(file, size);
                if (before != null && before != size) {
                    violations.add(file + " changed from " + before + " to " + size + " bytes after it was visible");
                }
            } catch (IOException e) {
                violations.add(file + " disappeared after it was visible: " + e);
            }
        }
        for (Path known : sizes.keySet()) {
            if (!Files.exists(known)) {
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

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(5_000);
    }
}
