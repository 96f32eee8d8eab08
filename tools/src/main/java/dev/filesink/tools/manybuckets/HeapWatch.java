package dev.filesink.tools.manybuckets;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * Watches the heap while a job runs: the largest used heap (sampled every 50 ms, garbage included) and the live
 * heap, measured by a full collection at every progress tick: flat if the sink's memory is bounded.
 */
final class HeapWatch implements AutoCloseable {

    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final Thread sampler;
    private volatile boolean running = true;
    private volatile long maxUsed;
    private long maxLive;

    HeapWatch() {
        sampler = new Thread(() -> {
            while (running) {
                maxUsed = Math.max(maxUsed, memory.getHeapMemoryUsage().getUsed());
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "heap-watch");
        sampler.setDaemon(true);
        sampler.start();
    }

    /** Collects all garbage and returns the heap still in use. */
    long live() {
        memory.gc();
        long live = memory.getHeapMemoryUsage().getUsed();
        maxLive = Math.max(maxLive, live);
        return live;
    }

    long maxUsed() {
        return maxUsed;
    }

    long maxLive() {
        return maxLive;
    }

    static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(GarbageCollectorMXBean::getCollectionTime).sum();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        sampler.join();
    }
}
