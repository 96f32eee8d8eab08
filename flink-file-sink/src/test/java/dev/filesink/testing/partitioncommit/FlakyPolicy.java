package dev.filesink.testing.partitioncommit;

import dev.filesink.partitioncommit.CommittedPartition;
import dev.filesink.partitioncommit.PartitionCommitPolicy;
import dev.filesink.partitioncommit.PolicyContext;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Wraps a policy and fails on planned calls, before or after the wrapped policy acted; records every finished call.
 * Jobs run in this JVM's MiniCluster, so static maps reach the copies that Flink deserialized.
 */
public final class FlakyPolicy implements PartitionCommitPolicy {

    private static final long serialVersionUID = 1L;
    private static final Map<String, AtomicInteger> CALLS = new ConcurrentHashMap<>();
    private static final Map<String, AtomicInteger> FIRED = new ConcurrentHashMap<>();
    private static final Map<String, List<String>> FINISHED = new ConcurrentHashMap<>();

    private final PartitionCommitPolicy delegate;
    private final Set<Integer> failBefore;
    private final Set<Integer> failAfter;
    private final String id = UUID.randomUUID().toString();

    private FlakyPolicy(PartitionCommitPolicy delegate, Set<Integer> failBefore, Set<Integer> failAfter) {
        this.delegate = delegate;
        this.failBefore = failBefore;
        this.failAfter = failAfter;
    }

    /** Fails calls number {@code failBefore} (1-based) before the delegate acts, {@code failAfter} after it acted. */
    public static FlakyPolicy wrap(PartitionCommitPolicy delegate, Set<Integer> failBefore, Set<Integer> failAfter) {
        return new FlakyPolicy(delegate, Set.copyOf(failBefore), Set.copyOf(failAfter));
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public void open(PolicyContext context) throws Exception {
        delegate.open(context);
    }

    @Override
    public void commit(CommittedPartition partition) throws Exception {
        int call = CALLS.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
        if (failBefore.contains(call)) {
            fire("before", call, partition);
        }
        delegate.commit(partition);
        if (failAfter.contains(call)) {
            fire("after", call, partition);
        }
        FINISHED.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>())
                .add(partition.bucketId() + "#" + partition.announcement());
    }

    private void fire(String when, int call, CommittedPartition partition) {
        FIRED.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
        throw new IllegalStateException("Injected failure " + when + " policy " + name() + " acted, call " + call
                + ", " + partition);
    }

    @Override
    public void close() throws Exception {
        delegate.close();
    }

    public int fired() {
        AtomicInteger fired = FIRED.get(id);
        return fired == null ? 0 : fired.get();
    }

    public int planned() {
        return failBefore.size() + failAfter.size();
    }

    /** "bucket#announcement" of every call that finished, in order (a call that failed after acting is not here). */
    public List<String> finished() {
        return new ArrayList<>(FINISHED.getOrDefault(id, List.of()));
    }
}
