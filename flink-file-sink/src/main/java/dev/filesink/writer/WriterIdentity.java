package dev.filesink.writer;

import dev.filesink.partfile.PartFileNaming;
import dev.filesink.storage.OrphanFilter;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
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
 */
public final class WriterIdentity {

    private final String uid;
    private final List<Orphans> orphans;

    private WriterIdentity(String uid, List<Orphans> orphans) {
        this.uid = uid;
        this.orphans = orphans;
    }

    /**
     * @param restored the states handed to this subtask (empty on a fresh start)
     * @param runToken the sink's run token: the same in every attempt of one submission, new in every submission
     * @param jobId the job's id
     * @param subtaskIndex this subtask's index
     * @param restoredCheckpointId the checkpoint restored from, or empty
     * @param attemptNumber the execution attempt of this subtask
     */
    public static WriterIdentity derive(
            Collection<FileWriterState> restored,
            String runToken,
            String jobId,
            int subtaskIndex,
            OptionalLong restoredCheckpointId,
            int attemptNumber) {
        List<FileWriterState> states = new ArrayList<>(restored);
        states.sort(Comparator.comparing(FileWriterState::uid));
        String lineage = states.isEmpty() ? "fresh" : states.get(0).uid();
        String seed = runToken + '/' + lineage + '/' + jobId + '/' + subtaskIndex + '/'
                + (restoredCheckpointId.isPresent() ? restoredCheckpointId.getAsLong() : -1);
        String uid = UUID.nameUUIDFromBytes(seed.getBytes(StandardCharsets.UTF_8)).toString();

        List<Orphans> orphans = new ArrayList<>();
        for (FileWriterState state : states) {
            orphans.add(new Orphans(state.uid(), state.nextCounter()));
        }
        if (!states.isEmpty() || restoredCheckpointId.isPresent() || attemptNumber > 0) {
            // An earlier attempt with this very identity may have left files behind.
            orphans.add(new Orphans(uid, 0));
        }
        return new WriterIdentity(uid, orphans);
    }

    public String uid() {
        return uid;
    }

    /** Whether there can be orphans at all (a first attempt of a fresh job has none). */
    public boolean mayHaveOrphans() {
        return !orphans.isEmpty();
    }

    public OrphanFilter orphanFilter(PartFileNaming naming) {
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
