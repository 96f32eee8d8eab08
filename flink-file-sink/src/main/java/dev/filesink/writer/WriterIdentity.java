package dev.filesink.writer;

import dev.filesink.compaction.CompactedNames;
import dev.filesink.partfile.PartFileNaming;
import dev.filesink.storage.OrphanFilter;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * Decides a writer's uid (the id in its part file names) and which in-progress files of earlier attempts are
 * orphans.
 *
 * <p>The uid is derived deterministically from the sink's run token (random for every built sink, so for every
 * submission of a job: its {@code main()} builds the sink anew), what the writer restored (or, without state, the
 * subtask), the restored checkpoint and the job id. So an attempt that fails before its first checkpoint is followed
 * by one with the same uid, which recognizes the failed attempt's files by name and discards them. A new
 * submission, even one that reuses the job id (application mode, a pinned {@code $internal.pipeline.job-id}) or
 * restores the same savepoint again, gets new uids, so its files never collide with files an earlier run committed.
 *
 * <p>Orphans are in-progress files named with a restored uid and a counter at or above the restored next counter
 * (opened after the checkpoint), and any in-progress file named with this writer's own new uid.
 *
 * <p>Where attempts of a subtask may run concurrently (BATCH with speculative execution) and nothing was restored,
 * an earlier attempt may still be running: each attempt then gets a uid of its own and discards no other attempt's
 * files; it discards its own unfinished files when it closes instead (see {@link #discardsOwnFilesOnClose()}).
 */
public final class WriterIdentity {

    private final String uid;
    private final List<Orphans> orphans;
    private final boolean discardsOwnFilesOnClose;

    private WriterIdentity(String uid, List<Orphans> orphans, boolean discardsOwnFilesOnClose) {
        this.uid = uid;
        this.orphans = orphans;
        this.discardsOwnFilesOnClose = discardsOwnFilesOnClose;
    }

    /** As {@link #derive(Collection, String, String, int, OptionalLong, int, boolean)} where attempts never overlap. */
    public static WriterIdentity derive(
            Collection<FileWriterState> restored,
            String runToken,
            String jobId,
            int subtaskIndex,
            OptionalLong restoredCheckpointId,
            int attemptNumber) {
        return derive(restored, runToken, jobId, subtaskIndex, restoredCheckpointId, attemptNumber, false);
    }

    /**
     * @param restored the states handed to this subtask (empty on a fresh start)
     * @param runToken the sink's run token: the same in every attempt of one submission, new in every submission
     * @param jobId the job's id
     * @param subtaskIndex this subtask's index
     * @param restoredCheckpointId the checkpoint restored from, or empty
     * @param attemptNumber the execution attempt of this subtask
     * @param concurrentAttempts whether attempts of this subtask may run at the same time (speculative execution)
     */
    public static WriterIdentity derive(
            Collection<FileWriterState> restored,
            String runToken,
            String jobId,
            int subtaskIndex,
            OptionalLong restoredCheckpointId,
            int attemptNumber,
            boolean concurrentAttempts) {
        List<FileWriterState> states = new ArrayList<>(restored);
        states.sort(Comparator.comparing(FileWriterState::uid));
        String lineage = states.isEmpty() ? "fresh" : states.get(0).uid();
        String seed = runToken + '/' + lineage + '/' + jobId + '/' + subtaskIndex + '/'
                + (restoredCheckpointId.isPresent() ? restoredCheckpointId.getAsLong() : -1);
        if (concurrentAttempts && states.isEmpty() && restoredCheckpointId.isEmpty()) {
            // Another attempt may be writing right now: names of our own, and its files are not ours to discard.
            seed += "/attempt-" + attemptNumber;
            String uid = UUID.nameUUIDFromBytes(seed.getBytes(StandardCharsets.UTF_8)).toString();
            return new WriterIdentity(uid, List.of(), true);
        }
        String uid = UUID.nameUUIDFromBytes(seed.getBytes(StandardCharsets.UTF_8)).toString();

        List<Orphans> orphans = new ArrayList<>();
        for (FileWriterState state : states) {
            orphans.add(new Orphans(state.uid(), state.nextCounter()));
        }
        if (!states.isEmpty() || restoredCheckpointId.isPresent() || attemptNumber > 0) {
            // An earlier attempt with this very identity may have left files behind.
            orphans.add(new Orphans(uid, 0));
        }
        return new WriterIdentity(uid, orphans, false);
    }

    public String uid() {
        return uid;
    }

    /** Whether there can be orphans at all (a first attempt of a fresh job has none). */
    public boolean mayHaveOrphans() {
        return !orphans.isEmpty();
    }

    /**
     * Whether this writer, when it closes before any checkpoint took its state, discards the unfinished files it
     * wrote (no later attempt will, as it cannot tell them from those of a concurrent attempt).
     */
    public boolean discardsOwnFilesOnClose() {
        return discardsOwnFilesOnClose;
    }

    /**
     * The uids whose in-progress files may be orphans, each with the first counter that is one (this writer's own
     * uid with 0; a state taken over from Flink's FileSink that names no uid with {@link Long#MAX_VALUE}).
     */
    public Map<String, Long> orphanCounters() {
        Map<String, Long> counters = new LinkedHashMap<>();
        for (Orphans candidate : orphans) {
            counters.merge(candidate.uid, candidate.firstCounter, Math::min);
        }
        return counters;
    }

    /**
     * Also accepts the compaction output named after an orphan ({@code compacted-<orphan>}): a compaction of a
     * file that no completed checkpoint holds cannot have been handed to the committer either.
     */
    public OrphanFilter orphanFilter(PartFileNaming naming) {
        OrphanFilter parts = partFileOrphans(naming);
        return fileName -> {
            String firstInput = CompactedNames.firstInputOf(fileName);
            return parts.isOrphan(firstInput != null ? firstInput : fileName);
        };
    }

    private OrphanFilter partFileOrphans(PartFileNaming naming) {
        return fileName -> {
            for (Orphans candidate : orphans) {
                OptionalLong counter = naming.counterOf(fileName, candidate.uid);
                if (counter.isPresent() && counter.getAsLong() >= candidate.firstCounter) {
                    return true;
                }
            }
            return false;
        };
    }

    private record Orphans(String uid, long firstCounter) {}
}
