package dev.filesink.partitioncommit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Collects what the committer subtasks pass on after committing, per checkpoint and committer subtask, until a
 * checkpoint is complete: every committer subtask sent its summary and every committable the summary counts, or had
 * already ended. Flink's committer sends a checkpoint's summary and committables together, in checkpoint order, only
 * after committing them all; so once a checkpoint is complete, nothing more arrives for it or for an earlier one.
 *
 * <p>A committer subtask ended when it passed on a progress report that says its input ended: without compaction its
 * writer's last, with compaction the compactor's last (sent at the compactor's own end). It sends nothing for later
 * checkpoints, which do not wait for it.
 */
public final class CheckpointInbox {

    /** checkpoint -> committer subtask -> what it sent. */
    final TreeMap<Long, Map<Integer, SubtaskBatch>> checkpoints = new TreeMap<>();
    /** Committer subtask -> the checkpoint of its last batch, for those that ended. */
    final TreeMap<Integer, Long> endedAt = new TreeMap<>();
    /**
     * The number of committer subtasks when they ended: after a rescale the subtask indexes mean other subtasks, and
     * {@link #endedAt} no longer applies.
     */
    int endedAmong;
    /** Messages of checkpoints up to this one were taken: any that arrive again (a replay) are ignored. */
    long takenUpTo = Long.MIN_VALUE;

    /** A committer subtask's summary: it sent {@code count} committables for {@code checkpointId}. */
    public void summary(long checkpointId, int subtask, int numberOfSubtasks, int count) {
        if (checkpointId <= takenUpTo) {
            return;
        }
        // A summary that arrives again (a replay after a restore) starts that subtask's batch afresh.
        checkpoints.computeIfAbsent(checkpointId, id -> new TreeMap<>())
                .put(subtask, new SubtaskBatch(numberOfSubtasks, count));
    }

    public void file(long checkpointId, int subtask, CommittedFileInfo file) {
        if (checkpointId <= takenUpTo) {
            return;
        }
        batch(checkpointId, subtask).files.add(file);
    }

    public void progress(long checkpointId, int subtask, WriterProgress progress) {
        if (checkpointId <= takenUpTo) {
            return;
        }
        batch(checkpointId, subtask).progress.add(progress);
    }

    /** A committable that partition commit does not look at (a cleanup, a journal trim): counted only. */
    public void other(long checkpointId, int subtask) {
        if (checkpointId <= takenUpTo) {
            return;
        }
        batch(checkpointId, subtask).others++;
    }

    private SubtaskBatch batch(long checkpointId, int subtask) {
        Map<Integer, SubtaskBatch> batches = checkpoints.get(checkpointId);
        SubtaskBatch batch = batches == null ? null : batches.get(subtask);
        if (batch == null) {
            throw new IllegalStateException("Committable of checkpoint " + checkpointId + " from committer subtask "
                    + subtask + " before its summary");
        }
        return batch;
    }

    /**
     * Takes the checkpoints up to the latest complete one, oldest first. An earlier checkpoint that is still
     * incomplete then is taken as it is: its committer subtasks already sent a later checkpoint, so nothing more
     * comes for it.
     */
    public List<CheckpointBatch> takeComplete() {
        Long latest = null;
        for (Map.Entry<Long, Map<Integer, SubtaskBatch>> entry : checkpoints.entrySet()) {
            if (isComplete(entry.getKey(), entry.getValue())) {
                latest = entry.getKey();
            }
            entry.getValue().forEach((subtask, batch) -> {
                if (batch.received() >= batch.count && batch.progress.stream().anyMatch(WriterProgress::endOfInput)) {
                    if (endedAmong != batch.numberOfSubtasks) {
                        endedAt.clear();
                        endedAmong = batch.numberOfSubtasks;
                    }
                    endedAt.putIfAbsent(subtask, entry.getKey());
                }
            });
        }
        return latest == null ? List.of() : takeUpTo(latest);
    }

    /** Takes everything received (the input ended: every committer sent all it had). */
    public List<CheckpointBatch> takeAll() {
        return checkpoints.isEmpty() ? List.of() : takeUpTo(checkpoints.lastKey());
    }

    private List<CheckpointBatch> takeUpTo(long latest) {
        List<CheckpointBatch> taken = new ArrayList<>();
        Map<Long, Map<Integer, SubtaskBatch>> head = checkpoints.headMap(latest, true);
        for (Map.Entry<Long, Map<Integer, SubtaskBatch>> entry : head.entrySet()) {
            List<CommittedFileInfo> files = new ArrayList<>();
            List<WriterProgress> progress = new ArrayList<>();
            for (SubtaskBatch batch : entry.getValue().values()) {
                files.addAll(batch.files);
                progress.addAll(batch.progress);
            }
            taken.add(new CheckpointBatch(entry.getKey(), files, progress));
        }
        head.clear();
        takenUpTo = Math.max(takenUpTo, latest);
        return taken;
    }

    public boolean isEmpty() {
        return checkpoints.isEmpty();
    }

    private boolean isComplete(long checkpointId, Map<Integer, SubtaskBatch> batches) {
        int expected = batches.values().stream().mapToInt(batch -> batch.numberOfSubtasks).max().orElse(0);
        for (int subtask = 0; subtask < expected; subtask++) {
            SubtaskBatch batch = batches.get(subtask);
            if (batch == null) {
                Long ended = expected == endedAmong ? endedAt.get(subtask) : null;
                if (ended == null || ended >= checkpointId) {
                    return false;
                }
            } else if (batch.received() < batch.count) {
                return false;
            }
        }
        return true;
    }

    /** What one committer subtask sent for one checkpoint. */
    static final class SubtaskBatch {
        final int numberOfSubtasks;
        final int count;
        final List<CommittedFileInfo> files = new ArrayList<>();
        final List<WriterProgress> progress = new ArrayList<>();
        int others;

        SubtaskBatch(int numberOfSubtasks, int count) {
            this.numberOfSubtasks = numberOfSubtasks;
            this.count = count;
        }

        int received() {
            return files.size() + progress.size() + others;
        }
    }

    /** Everything committed for one checkpoint, with the writers' progress reports of it. */
    public record CheckpointBatch(long checkpointId, List<CommittedFileInfo> files, List<WriterProgress> progress) {}
}
