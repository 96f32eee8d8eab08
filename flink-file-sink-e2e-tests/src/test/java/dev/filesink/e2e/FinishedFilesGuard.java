package dev.filesink.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Watches a local destination for the whole test, across process kills and restarts: a finished (visible) file,
 * once seen, must never change its size and never disappear. Catches partial files that become visible and grow,
 * and committed files that a recovery overwrites or deletes.
 */
public final class FinishedFilesGuard implements AutoCloseable {

    private final Path root;
    private final Map<Path, Long> sizes = new HashMap<>();
    private final List<String> violations = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    public FinishedFilesGuard(Path root) {
        this.root = root;
        this.thread = new Thread(this::poll, "finished-files-guard");
        thread.setDaemon(true);
        thread.start();
    }

    private void poll() {
        while (running) {
            try {
                check();
            } catch (RuntimeException e) {
                synchronized (this) {
                    violations.add("the guard could not look at " + root + ": " + e);
                }
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private synchronized void check() {
        for (Path file : LocalFolder.visibleFiles(root)) {
            try {
                long size = Files.size(file);
                Long before = sizes.putIfAbsent(file, size);
                if (before != null && before != size && violations.size() < 50) {
                    violations.add(file + " changed from " + before + " to " + size + " bytes after it was visible");
                }
            } catch (NoSuchFileException e) {
                violations.add(file + " disappeared right after it was visible");
            } catch (IOException e) {
                violations.add("cannot read the size of " + file + ": " + e);
            }
        }
        for (Path known : sizes.keySet()) {
            if (!Files.exists(known) && violations.size() < 50) {
                violations.add(known + " disappeared after it was visible");
            }
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
        running = false;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
