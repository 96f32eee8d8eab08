package dev.filesink.testing;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A pass-through map that fails the job on purpose, the planned failures one after another: after failure
 * {@code i} fired, the next attempt fails as failure {@code i + 1} says. Only subtask 0 fails, so the others keep
 * running into the restart.
 */
public final class FailureInjector<T> extends RichMapFunction<T, T> implements CheckpointedFunction, CheckpointListener {

    private static final long serialVersionUID = 1L;

    /** Failures fired so far, per injector (jobs run in this JVM's MiniCluster, so a static map reaches them). */
    private static final Map<String, AtomicInteger> FIRED = new ConcurrentHashMap<>();

    private final List<Failure> failures;
    private final boolean anySubtask;
    private final String id = UUID.randomUUID().toString();

    private transient int attempt;
    private transient boolean failingSubtask;
    private transient long records;
    private transient int snapshots;
    private transient int completedCheckpoints;

    private FailureInjector(List<Failure> failures, boolean anySubtask) {
        this.failures = failures;
        this.anySubtask = anySubtask;
    }

    /** How many of the planned failures fired, so that a test can tell a happy path from a recovered one. */
    public int fired() {
        AtomicInteger fired = FIRED.get(id);
        return fired == null ? 0 : fired.get();
    }

    /** How many failures were planned. */
    public int planned() {
        return failures.size();
    }

    /**
     * Claims planned failure {@code index}; false when another subtask fired it first (only possible with
     * {@link Plan#onAnySubtask()}), so that each planned failure fires exactly once.
     */
    private boolean claim(int index) {
        return FIRED.computeIfAbsent(id, ignored -> new AtomicInteger()).compareAndSet(index, index + 1);
    }

    /** Starts a plan of injected failures, one per attempt in the order they are added. */
    public static Plan plan() {
        return new Plan();
    }

    @Override
    public void open(OpenContext context) {
        attempt = getRuntimeContext().getTaskInfo().getAttemptNumber();
        failingSubtask = anySubtask || getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0;
    }

    @Override
    public T map(T value) {
        records++;
        int next = fired();
        Failure failure = current(next);
        if (failure != null && failure.kind == Kind.AT_RECORD && failure.reachedAt(records, completedCheckpoints)
                && claim(next)) {
            throw new InjectedFailure("at record " + records + " of attempt " + attempt);
        }
        return value;
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) {
        snapshots++;
        int next = fired();
        Failure failure = current(next);
        if (failure != null && failure.kind == Kind.DURING_CHECKPOINT && snapshots == failure.n && claim(next)) {
            throw new InjectedFailure("during checkpoint " + context.getCheckpointId() + " of attempt " + attempt);
        }
    }

    @Override
    public void initializeState(FunctionInitializationContext context) {}

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        completedCheckpoints++;
        int next = fired();
        Failure failure = current(next);
        if (failure != null && failure.kind == Kind.AFTER_CHECKPOINT_COMPLETE && snapshots >= failure.n
                && claim(next)) {
            throw new InjectedFailure("after checkpoint " + checkpointId + " completed, attempt " + attempt);
        }
    }

    /**
     * The next planned failure that has not fired yet. Counted by what fired, not by attempt number: a failover that
     * something else caused (a storage fault a test injects) must not skip a planned failure.
     */
    private Failure current(int next) {
        return failingSubtask && next < failures.size() ? failures.get(next) : null;
    }

    enum Kind { AT_RECORD, DURING_CHECKPOINT, AFTER_CHECKPOINT_COMPLETE }

    /** {@code afterCheckpoints}: for AT_RECORD, how many checkpoints must have completed before it may fire. */
    record Failure(Kind kind, long n, int afterCheckpoints) implements Serializable {
        Failure(Kind kind, long n) {
            this(kind, n, 0);
        }

        boolean reachedAt(long records, int completedCheckpoints) {
            return afterCheckpoints == 0 ? records == n : records >= n && completedCheckpoints >= afterCheckpoints;
        }
    }

    /** Builds the failure plan. */
    public static final class Plan {
        private final List<Failure> failures = new ArrayList<>();
        private boolean anySubtask;

        /**
         * Lets whichever subtask gets there first fire each failure. Needed in BATCH: a failed subtask's input split
         * goes back to the source, and another subtask may read it, so subtask 0 might never see enough records.
         */
        public Plan onAnySubtask() {
            anySubtask = true;
            return this;
        }

        /** The next attempt fails when its subtask 0 has mapped {@code n} records. */
        public Plan atRecord(long n) {
            failures.add(new Failure(Kind.AT_RECORD, n));
            return this;
        }

        /**
         * The next attempt fails at the first record from its subtask 0's {@code n}-th on that it maps once it was
         * told of {@code checkpoints} completed checkpoints: a failure that must leave a retained checkpoint behind,
         * however late the first checkpoint completes on a busy machine.
         */
        public Plan atRecordAfterCheckpoints(long n, int checkpoints) {
            failures.add(new Failure(Kind.AT_RECORD, n, checkpoints));
            return this;
        }

        /** The next attempt fails while taking its {@code n}-th checkpoint (the checkpoint fails). */
        public Plan duringCheckpoint(int n) {
            failures.add(new Failure(Kind.DURING_CHECKPOINT, n));
            return this;
        }

        /**
         * The next attempt fails when notified of a completed checkpoint after its {@code n}-th: between the
         * commit and the rest of the job acknowledging it.
         */
        public Plan afterCheckpointComplete(int n) {
            failures.add(new Failure(Kind.AFTER_CHECKPOINT_COMPLETE, n));
            return this;
        }

        public <T> FailureInjector<T> build() {
            return new FailureInjector<>(new ArrayList<>(failures), anySubtask);
        }
    }

    /** The exception an injected failure throws. */
    public static final class InjectedFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        InjectedFailure(String message) {
            super("Injected failure " + message);
        }
    }
}
