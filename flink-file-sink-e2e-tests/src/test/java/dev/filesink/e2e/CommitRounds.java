package dev.filesink.e2e;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Sees the committer's rounds in a local destination as they happen (inotify through a {@link WatchService}): every
 * commit renames hidden pending files to visible names inside the bucket folders, all within a short burst after a
 * checkpoint completes. Lets a test act at the very moment a round starts, i.e. while the committer is committing.
 */
final class CommitRounds implements AutoCloseable {

    private final Path root;
    private final WatchService watch;

    CommitRounds(Path root) throws IOException {
        this.root = root;
        this.watch = root.getFileSystem().newWatchService();
        root.register(watch, StandardWatchEventKinds.ENTRY_CREATE);
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path dir : dirs.filter(Files::isDirectory).filter(d -> !isHidden(d)).toList()) {
                dir.register(watch, StandardWatchEventKinds.ENTRY_CREATE);
            }
        }
    }

    /** Waits until no finished file appeared for {@code quiet}: the round in progress (if any) is over. */
    void awaitQuiet(Duration quiet, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!nextFinishedFile(quiet)) {
                return;
            }
        }
        throw new AssertionError("Finished files kept appearing in " + root + " for " + timeout);
    }

    /** Waits for the next finished file to appear: a commit round has started. */
    void awaitFinishedFile(Duration timeout) throws Exception {
        if (!nextFinishedFile(timeout)) {
            throw new AssertionError("No finished file appeared in " + root + " within " + timeout);
        }
    }

    /** True as soon as a visible (finished) file is created or renamed into a watched folder within the timeout. */
    private boolean nextFinishedFile(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            WatchKey key;
            try {
                key = watch.poll(left, TimeUnit.NANOSECONDS);
            } catch (ClosedWatchServiceException e) {
                return false;
            }
            if (key == null) {
                return false;
            }
            boolean finished = false;
            for (WatchEvent<?> event : key.pollEvents()) {
                if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
                    finished = true;
                    continue;
                }
                Path created = ((Path) key.watchable()).resolve((Path) event.context());
                if (isHidden(created)) {
                    continue;
                }
                if (Files.isDirectory(created)) {
                    created.register(watch, StandardWatchEventKinds.ENTRY_CREATE); // a new bucket
                } else {
                    finished = true;
                }
            }
            key.reset();
            if (finished) {
                return true;
            }
        }
    }

    private static boolean isHidden(Path path) {
        String name = path.getFileName().toString();
        return name.startsWith(".") || name.startsWith("_");
    }

    @Override
    public void close() throws IOException {
        watch.close();
    }
}
