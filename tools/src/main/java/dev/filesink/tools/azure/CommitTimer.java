package dev.filesink.tools.azure;

import dev.filesink.storage.CommitOutcome;
import dev.filesink.storage.OrphanFilter;
import dev.filesink.storage.PartFileStorage;
import dev.filesink.storage.StorageSession;

import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.RecoverableWriter;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Wraps a storage and measures its commits: how many, their mean latency, and how many ran at once at most (the
 * benchmark runs embedded, so the counters are shared through statics).
 */
final class CommitTimer implements PartFileStorage {

    private static final long serialVersionUID = 1L;
    static final AtomicLong COMMITS = new AtomicLong();
    static final AtomicLong NANOS = new AtomicLong();
    static final AtomicInteger RUNNING = new AtomicInteger();
    static final AtomicInteger MOST_AT_ONCE = new AtomicInteger();
    /** Wall time during which at least one commit ran. */
    static final AtomicLong BUSY_NANOS = new AtomicLong();
    private static volatile long busySince;

    private final PartFileStorage storage;

    CommitTimer(PartFileStorage storage) {
        this.storage = storage;
    }

    static void reset() {
        COMMITS.set(0);
        NANOS.set(0);
        MOST_AT_ONCE.set(0);
        BUSY_NANOS.set(0);
    }

    static String summary() {
        long commits = COMMITS.get();
        return String.format(java.util.Locale.ROOT, "%d commits, mean %.1f ms each, up to %d at once, committing "
                        + "for %.2f s in all", commits, commits == 0 ? 0.0 : NANOS.get() / 1e6 / commits,
                MOST_AT_ONCE.get(), BUSY_NANOS.get() / 1e9);
    }

    @Override
    public StorageSession open(Path basePath) throws IOException {
        StorageSession session = storage.open(basePath);
        return new StorageSession() {
            @Override
            public RecoverableWriter recoverableWriter() {
                return session.recoverableWriter();
            }

            @Override
            public void checkWritable() throws IOException {
                session.checkWritable();
            }

            @Override
            public CommitOutcome commit(Path target, RecoverableWriter.CommitRecoverable file, long size)
                    throws IOException {
                long start = System.nanoTime();
                synchronized (CommitTimer.class) {
                    if (RUNNING.getAndIncrement() == 0) {
                        busySince = start;
                    }
                    MOST_AT_ONCE.accumulateAndGet(RUNNING.get(), Math::max);
                }
                try {
                    return session.commit(target, file, size);
                } finally {
                    long end = System.nanoTime();
                    NANOS.addAndGet(end - start);
                    COMMITS.incrementAndGet();
                    synchronized (CommitTimer.class) {
                        if (RUNNING.decrementAndGet() == 0) {
                            BUSY_NANOS.addAndGet(end - busySince);
                        }
                    }
                }
            }

            @Override
            public int discardOrphans(OrphanFilter filter) throws IOException {
                return session.discardOrphans(filter);
            }

            @Override
            public void close() throws IOException {
                session.close();
            }
        };
    }
}
