package dev.filesink.committer;

import dev.filesink.journal.BucketJournal;
import dev.filesink.journal.JournalFiles;
import dev.filesink.storage.CommitConflictException;
import dev.filesink.storage.CommitOutcome;
import dev.filesink.storage.StorageSession;

import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.core.fs.Path;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Makes pending part files visible when their checkpoint completes (STREAMING) or at end of input (BATCH).
 *
 * <p>Commits run in parallel on a bounded pool: on object stores each one is a network round trip, and a
 * checkpoint may close thousands of files. Every commit is idempotent; transient failures are retried with backoff
 * and then handed back to Flink to retry later. A commit that cannot succeed (a file the sink did not write at the
 * target, or pending data that is gone) is never dropped: once the round's other commits are done, the job fails
 * with a {@link PermanentCommitFailure} that names the file, and each restart replays the commit.
 *
 * <p>The output of a compaction is committed the same way; only once it is visible are the pending files it merged
 * discarded (a failure in between replays both steps, idempotently).
 */
public final class FileCommitter implements Committer<FileSinkCommittable> {

    private static final Logger LOG = LoggerFactory.getLogger(FileCommitter.class);

    private final StorageSession storage;
    private final CommitRetryPolicy retryPolicy;
    private final CommitListener listener;
    private final ExecutorService pool;
    private final int parallelism;
    /** Whether a commit of the current round was handed back to Flink to retry later. */
    private final AtomicBoolean deferred = new AtomicBoolean();

    public FileCommitter(StorageSession storage, int parallelism, CommitRetryPolicy retryPolicy, CommitListener listener) {
        this.storage = storage;
        this.retryPolicy = retryPolicy;
        this.listener = listener;
        this.parallelism = parallelism;
        this.pool = parallelism > 1 ? Executors.newFixedThreadPool(parallelism, daemonThreads()) : null;
    }

    @Override
    public void commit(Collection<CommitRequest<FileSinkCommittable>> requests)
            throws IOException, InterruptedException {
        List<CommitRequest<FileSinkCommittable>> journalTrims = new ArrayList<>();
        List<CommitRequest<FileSinkCommittable>> files = new ArrayList<>(requests.size());
        for (CommitRequest<FileSinkCommittable> request : requests) {
            (request.getCommittable().isJournalTrim() ? journalTrims : files).add(request);
        }
        commitFiles(files);
        if (!journalTrims.isEmpty()) {
            trimJournals(journalTrims);
        }
    }

    private void commitFiles(Collection<CommitRequest<FileSinkCommittable>> requests)
            throws IOException, InterruptedException {
        deferred.set(false);
        PermanentFailures failures = new PermanentFailures();
        if (pool == null || requests.size() <= 1) {
            for (CommitRequest<FileSinkCommittable> request : requests) {
                failures.record(commitOne(request));
            }
        } else {
            // Each task only signals its own request; the operator reads the signals after commit() returns.
            List<Future<IOException>> running = new ArrayList<>(requests.size());
            for (CommitRequest<FileSinkCommittable> request : requests) {
                running.add(pool.submit(() -> commitOne(request)));
            }
            for (Future<IOException> future : running) {
                try {
                    failures.record(future.get());
                } catch (ExecutionException e) {
                    failures.record(new IOException("Commit task failed unexpectedly", e.getCause()));
                }
            }
        }
        failures.throwIfAny();
    }

    /**
     * Commits one file, retrying transient failures. Returns the permanent failure, if any: the caller lets every
     * other commit of the round finish first, then fails the job with it.
     */
    private IOException commitOne(CommitRequest<FileSinkCommittable> request) throws InterruptedException {
        FileSinkCommittable committable = request.getCommittable();
        if (committable.isProgress()) {
            return null; // a writer's progress report: nothing to commit, Flink passes it on to partition commit
        }
        if (!committable.hasPendingFile()) {
            cleanup(committable);
            return null;
        }
        for (int attempt = 1; ; attempt++) {
            long start = System.nanoTime();
            try {
                CommitOutcome outcome =
                        storage.commit(committable.target(), committable.pendingFile(), committable.size());
                // Only a committed compaction output may take its inputs away; a replay finds some already gone.
                discardCompactedInputs(committable);
                listener.committed(committable, outcome, (System.nanoTime() - start) / 1_000_000);
                if (outcome == CommitOutcome.ALREADY_COMMITTED) {
                    LOG.info("Part file {} was committed before; nothing to do", committable.target());
                    request.signalAlreadyCommitted();
                }
                return null;
            } catch (CommitConflictException | FileNotFoundException e) {
                // Retrying cannot help, and dropping the committable would lose its records while the job goes on:
                // the job fails, and every restart replays this commit until someone resolves what is at the target.
                listener.failed(committable);
                return new PermanentCommitFailure(committable, e);
            } catch (IOException | RuntimeException e) {
                listener.failed(committable);
                if (attempt >= retryPolicy.maxAttempts()) {
                    LOG.warn("Commit of {} failed {} times; Flink retries it later", committable.target(), attempt, e);
                    listener.retried(committable);
                    request.retryLater();
                    deferred.set(true);
                    return null;
                }
                long pause = retryPolicy.backoffMillis(attempt);
                LOG.info("Commit of {} failed (attempt {}), retrying in {} ms: {}",
                        committable.target(), attempt, pause, e.toString());
                listener.retried(committable);
                Thread.sleep(pause);
            }
        }
    }

    /**
     * Trims and retires bucket journals, after the round's files: a retired journal can no longer find the orphans
     * of its writer, so it goes only once every file of the round is committed; with a commit deferred, the trims
     * wait for the next round. Only space is at stake if a trim fails: restores read a little more, or, with a
     * journal left incomplete, walk the base path.
     */
    private void trimJournals(List<CommitRequest<FileSinkCommittable>> requests) {
        if (deferred.get()) {
            requests.forEach(CommitRequest::retryLater);
            return;
        }
        Map<Path, Long> floors = new LinkedHashMap<>();
        for (CommitRequest<FileSinkCommittable> request : requests) {
            floors.merge(request.getCommittable().target(), request.getCommittable().journalFloor(), Math::max);
        }
        for (Map.Entry<Path, Long> journal : floors.entrySet()) {
            Path directory = journal.getKey();
            try {
                JournalFiles files = new JournalFiles(directory.getParent().getParent());
                String uid = BucketJournal.uidOf(directory);
                if (journal.getValue() == FileSinkCommittable.RETIRE_JOURNAL) {
                    files.retire(uid);
                } else {
                    files.trim(uid, journal.getValue());
                }
            } catch (IOException | RuntimeException e) {
                LOG.warn("Could not trim the bucket journal {}: {}", directory, e.toString());
            }
        }
    }

    private void discardCompactedInputs(FileSinkCommittable committable) throws IOException {
        for (CompactedInput input : committable.compactedInputs()) {
            storage.discardCompactedInput(input.pendingFile());
        }
    }

    private void cleanup(FileSinkCommittable committable) {
        try {
            storage.recoverableWriter().cleanupRecoverableState(committable.resumableToCleanup());
        } catch (IOException | RuntimeException e) {
            // Only space is at stake: an object-store lifecycle rule removes what is left.
            LOG.warn("Could not clean up an obsolete persist of bucket '{}': {}", committable.bucketId(), e.toString());
        }
    }

    @Override
    public void close() throws Exception {
        if (pool != null) {
            pool.shutdownNow();
        }
        storage.close();
    }

    int parallelism() {
        return parallelism;
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "file-sink-committer-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
