package dev.filesink.committer;

import dev.filesink.storage.CommitConflictException;
import dev.filesink.storage.CommitOutcome;
import dev.filesink.storage.OrphanFilter;
import dev.filesink.storage.StorageSession;

import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.RecoverableWriter;

import org.junit.jupiter.api.Test;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The committer's decisions, against a scripted storage (pure logic: what it signals for which outcome). */
class FileCommitterTest {

    private static final CommitRetryPolicy FAST = new CommitRetryPolicy(3, Duration.ofMillis(1), Duration.ofMillis(2));

    @Test
    void commitsManyFilesConcurrentlyOnTheBoundedPool() throws Exception {
        ScriptedStorage storage = new ScriptedStorage();
        storage.latencyMillis = 20;
        FileCommitter committer = new FileCommitter(storage, 8, FAST, CommitListener.NO_OP);
        List<Request> requests = requests(64);

        committer.commit(new ArrayList<>(requests));

        assertThat(storage.committed).hasSize(64);
        assertThat(storage.maxConcurrent.get()).isBetween(2, 8);
        assertThat(requests).allSatisfy(r -> assertThat(r.outcome).isEqualTo("committed"));
        committer.close();
    }

    @Test
    void transientFailuresAreRetriedWithBackoffThenHandedBackToFlink() throws Exception {
        ScriptedStorage storage = new ScriptedStorage();
        storage.failuresBeforeSuccess.put("f0", 2); // succeeds on the third attempt
        storage.failuresBeforeSuccess.put("f1", 10); // still failing after three: retry later
        FileCommitter committer = new FileCommitter(storage, 1, FAST, CommitListener.NO_OP);
        List<Request> requests = requests(2);

        committer.commit(new ArrayList<>(requests));

        assertThat(requests.get(0).outcome).isEqualTo("committed");
        assertThat(requests.get(1).outcome).isEqualTo("retryLater");
        assertThat(storage.attempts.get("f1")).isEqualTo(3);
    }

    @Test
    void aConflictFailsTheRoundAfterEveryOtherCommitFinishedAndIsNeverDropped() throws Exception {
        ScriptedStorage storage = new ScriptedStorage();
        storage.already.add("f0");
        storage.conflicts.add("f1");
        FileCommitter committer = new FileCommitter(storage, 4, FAST, CommitListener.NO_OP);
        List<Request> requests = requests(3);

        assertThatThrownBy(() -> committer.commit(new ArrayList<>(requests)))
                .isInstanceOf(PermanentCommitFailure.class)
                .hasMessageContaining("file:/out/f1")
                .hasMessageContaining("bucket 'b'")
                .hasMessageContaining("conflict at f1")
                .hasCauseInstanceOf(CommitConflictException.class);

        assertThat(requests.get(0).outcome).isEqualTo("alreadyCommitted");
        assertThat(requests.get(1).outcome).as("not signalled as a known, droppable failure").isEqualTo("committed");
        assertThat(requests.get(2).outcome).isEqualTo("committed");
        assertThat(storage.committed).containsExactly("f2");
        assertThat(storage.attempts.get("f1")).as("a conflict is not retried").isEqualTo(1);
    }

    @Test
    void lostPendingDataFailsTheRoundOneCommitAtATimeToo() throws Exception {
        ScriptedStorage storage = new ScriptedStorage();
        storage.lost.add("f0");
        storage.conflicts.add("f2");
        FileCommitter committer = new FileCommitter(storage, 1, FAST, CommitListener.NO_OP);
        List<Request> requests = requests(3);

        assertThatThrownBy(() -> committer.commit(new ArrayList<>(requests)))
                .isInstanceOf(PermanentCommitFailure.class)
                .hasMessageContaining("file:/out/f0")
                .hasCauseInstanceOf(FileNotFoundException.class)
                .satisfies(e -> assertThat(e.getSuppressed())
                        .anySatisfy(s -> assertThat(s).hasMessageContaining("file:/out/f2"))
                        .anySatisfy(s -> assertThat(s).hasMessageContaining("2 part files")));
        assertThat(storage.committed).containsExactly("f1");
    }

    private static List<Request> requests(int count) {
        List<Request> requests = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            requests.add(new Request(FileSinkCommittable.pendingFile(
                    "b", new Path("file:///out/f" + i), new RecoverableWriter.CommitRecoverable() {}, 1, 1)));
        }
        return requests;
    }

    static final class Request implements Committer.CommitRequest<FileSinkCommittable> {
        final FileSinkCommittable committable;
        volatile String outcome = "committed";

        Request(FileSinkCommittable committable) {
            this.committable = committable;
        }

        @Override
        public FileSinkCommittable getCommittable() {
            return committable;
        }

        @Override
        public int getNumberOfRetries() {
            return 0;
        }

        @Override
        public void signalFailedWithKnownReason(Throwable t) {
            outcome = "failedWithKnownReason: " + t.getMessage();
        }

        @Override
        public void signalFailedWithUnknownReason(Throwable t) {
            outcome = "failedWithUnknownReason: " + t.getMessage();
        }

        @Override
        public void retryLater() {
            outcome = "retryLater";
        }

        @Override
        public void updateAndRetryLater(FileSinkCommittable committable) {
            outcome = "updateAndRetryLater";
        }

        @Override
        public void signalAlreadyCommitted() {
            outcome = "alreadyCommitted";
        }
    }

    static final class ScriptedStorage implements StorageSession {
        final Map<String, Integer> failuresBeforeSuccess = new ConcurrentHashMap<>();
        final Map<String, Integer> attempts = new ConcurrentHashMap<>();
        final List<String> already = new ArrayList<>();
        final List<String> conflicts = new ArrayList<>();
        final List<String> lost = new ArrayList<>();
        final List<String> committed = java.util.Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger maxConcurrent = new AtomicInteger();
        volatile long latencyMillis;

        @Override
        public CommitOutcome commit(Path target, RecoverableWriter.CommitRecoverable pendingFile, long expectedSize)
                throws IOException {
            String name = target.getName();
            int attempt = attempts.merge(name, 1, Integer::sum);
            maxConcurrent.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                if (latencyMillis > 0) {
                    Thread.sleep(latencyMillis);
                }
                if (lost.contains(name)) {
                    throw new FileNotFoundException("pending data of " + name + " is gone");
                }
                if (conflicts.contains(name)) {
                    throw new CommitConflictException("conflict at " + name);
                }
                if (attempt <= failuresBeforeSuccess.getOrDefault(name, 0)) {
                    throw new IOException("transient failure " + attempt + " of " + name);
                }
                if (already.contains(name)) {
                    return CommitOutcome.ALREADY_COMMITTED;
                }
                committed.add(name);
                return CommitOutcome.COMMITTED;
            } catch (InterruptedException e) {
                throw new IOException(e);
            } finally {
                inFlight.decrementAndGet();
            }
        }

        @Override
        public RecoverableWriter recoverableWriter() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void checkWritable() {}

        @Override
        public int discardOrphans(OrphanFilter filter) {
            return 0;
        }
    }
}
