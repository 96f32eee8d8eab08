package dev.filesink.partitioncommit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Collects what the committer subtasks pass on after committing, per checkpoint and committer subtask, until a
 * checkpoint is complete: every committer subtask sent its summary and every committable the summary counts. Flink's
 * committer sends a checkpoint's summary and committables together, in checkpoint order, only after committing them
 * all; so once a checkpoint is complete, nothing more arrives for it or for an earlier one.
 */
public final class CheckpointInbox {

    /** checkpoint -> committer subtask -> what it sent. */
    final TreeMap<Long, Map<Integer, SubtaskBatch>> checkpoints = new TreeMap<>();

    /** A committer subtask's summary: it sent {@code count} committables for {@code checkpointId}. */
    public void summary(long checkpointId, int subtask, int numberOfSubtasks, int count) {
        // A summary that arrives again (a replay after a restore) starts that subtask's batch afresh.
        checkpoints.computeIfAbsent(checkpointId, id -> new TreeMap<>())
                .put(subtask, new SubtaskBatch(numberOfSubtasks, count));
    }

    public void file(long checkpointId, int subtask, CommittedFileInfo file) {
        batch(checkpointId, subtask).files.add(file);
    }

    public void progress(long checkpointId, int subtask, WriterProgress progress) {
        batch(checkpointId, subtask).progress.add(progress);
    }

    /** A committable that partition commit does not look at (a cleanup, a journal trim): counted only. */
    public void other(long checkpointId, int subtask) {
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
            if (isComplete(entry.getValue())) {
                latest = entry.getKey();
            }
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
        return taken;
    }

    public boolean isEmpty() {
        return checkpoints.isEmpty();
    }

    private static boolean isComplete(Map<Integer, SubtaskBatch> batches) {
        int expected = batches.values().iterator().next().numberOfSubtasks;
        if (batches.size() < expected) {
            return false;
        }
        for (SubtaskBatch batch : batches.values()) {
            if (batch.received() < batch.count) {
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
