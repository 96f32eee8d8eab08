package dev.filesink.example;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;

import java.util.concurrent.TimeUnit;

/** Passes records through at most at a given rate, shared evenly by the parallel subtasks. */
final class Throttle<T> extends RichMapFunction<T, T> {

    private static final long serialVersionUID = 1L;

    private final double totalPerSecond;

    private transient double perSecond;
    private transient long startNanos;
    private transient long passed;

    Throttle(double totalPerSecond) {
        this.totalPerSecond = totalPerSecond;
    }

    @Override
    public void open(OpenContext context) {
        perSecond = totalPerSecond / getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks();
        startNanos = System.nanoTime();
    }

    @Override
    public T map(T value) throws InterruptedException {
        passed++;
        // Sleep in small steps when ahead of schedule; the rate is measured since this subtask started.
        long dueNanos = startNanos + (long) (passed / perSecond * 1e9);
        long aheadNanos = dueNanos - System.nanoTime();
        if (aheadNanos > 1_000_000) {
            TimeUnit.NANOSECONDS.sleep(aheadNanos);
        }
        return value;
    }
}
