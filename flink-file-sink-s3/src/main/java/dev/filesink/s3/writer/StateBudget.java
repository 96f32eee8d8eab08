package dev.filesink.s3.writer;

/**
 * How many bytes of part file data one writer may carry in checkpoint state at once: tails kept inline by
 * {@code persist()} and small files kept for a single PUT at commit. Each reservation lasts until its recoverable is
 * serialized (it is then part of the checkpoint, and the next checkpoint starts afresh) or committed. Bounds both the
 * heap these bytes take and the size of every checkpoint; what does not fit goes the multipart/staging way.
 */
public final class StateBudget {

    private final long limit;
    private long reserved;

    public StateBudget(long limit) {
        this.limit = limit;
    }

    /** A reservation of {@code bytes}, or null if they do not fit. */
    synchronized Reservation tryReserve(long bytes) {
        if (bytes > limit - reserved) {
            return null;
        }
        reserved += bytes;
        return new Reservation(bytes);
    }

    private synchronized void give(long bytes) {
        reserved -= bytes;
    }

    /** Bytes reserved right now (tests, metrics). */
    public synchronized long reserved() {
        return reserved;
    }

    /** Bytes reserved for one recoverable; released once, however often {@link #release()} is called. */
    final class Reservation {
        private final long bytes;
        private boolean released;

        private Reservation(long bytes) {
            this.bytes = bytes;
        }

        void release() {
            synchronized (StateBudget.this) {
                if (!released) {
                    released = true;
                    give(bytes);
                }
            }
        }
    }
}
