package dev.filesink.azure.testing;

import com.azure.storage.blob.BlobContainerClient;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Lists a container while a job runs and records every violation of "a committed blob, once visible, never changes
 * and never disappears"; optionally checks each newly visible blob (e.g. that its checkpoint had completed).
 */
public final class VisibleBlobsWatcher implements AutoCloseable {

    private final BlobContainerClient container;
    private final String prefix;
    private final Consumer<String> onNewBlob;
    private final Map<String, Long> sizes = new HashMap<>();
    private final List<String> violations = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    public VisibleBlobsWatcher(BlobContainerClient container, String prefix) {
        this(container, prefix, name -> {});
    }

    public VisibleBlobsWatcher(BlobContainerClient container, String prefix, Consumer<String> onNewBlob) {
        this.container = container;
        this.prefix = prefix;
        this.onNewBlob = onNewBlob;
        this.thread = new Thread(this::poll, "visible-blobs-watcher");
        thread.setDaemon(true);
        thread.start();
    }

    private void poll() {
        while (running) {
            try {
                check();
            } catch (RuntimeException unreachable) {
                // Azurite may be down on purpose; the next round looks again.
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private synchronized void check() {
        Map<String, Long> now = Blobs.visible(container, prefix);
        for (Map.Entry<String, Long> blob : now.entrySet()) {
            Long before = sizes.putIfAbsent(blob.getKey(), blob.getValue());
            if (before == null) {
                try {
                    onNewBlob.accept(blob.getKey());
                } catch (AssertionError | RuntimeException e) {
                    violations.add(blob.getKey() + ": " + e.getMessage());
                }
            } else if (!before.equals(blob.getValue())) {
                violations.add(blob.getKey() + " changed from " + before + " to " + blob.getValue() + " bytes");
            }
        }
        for (String known : sizes.keySet()) {
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

    public synchronized int seen() {
        return sizes.size();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(5_000);
    }
}
