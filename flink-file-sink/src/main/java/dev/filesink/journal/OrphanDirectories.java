package dev.filesink.journal;

import org.apache.flink.core.fs.Path;

import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Where a restarting writer has to look for orphans, read from the bucket journals of the writers it answers for;
 * or, when a journal cannot vouch for every directory, the reason to walk the whole base path instead.
 *
 * <p>A restored writer's orphans were opened after the restored checkpoint, so they are in its segments at or
 * above that checkpoint, which exist as long as its floor is not above it. The writer's own uid (earlier attempts
 * that failed before their first checkpoint) needs all of its segments; a uid without a journal folder had no
 * attempt that opened a file, since every attempt starts its journal before its first file, and a journal is
 * retired only once every file it names is committed or discarded.
 */
public final class OrphanDirectories {

    private final Set<Path> directories;
    private final String fullWalkReason;

    private OrphanDirectories(Set<Path> directories, String fullWalkReason) {
        this.directories = directories;
        this.fullWalkReason = fullWalkReason;
    }

    /**
     * @param orphanCounters the uids whose files may be orphans, each with its first orphan counter
     * @param restoredCheckpoint the checkpoint the writer restored from, if any
     */
    public static OrphanDirectories find(
            JournalFiles journals,
            Path basePath,
            String ownUid,
            Map<String, Long> orphanCounters,
            OptionalLong restoredCheckpoint) {
        Set<Path> directories = new LinkedHashSet<>();
        for (Map.Entry<String, Long> candidate : orphanCounters.entrySet()) {
            String uid = candidate.getKey();
            if (candidate.getValue() == Long.MAX_VALUE) {
                continue; // a taken-over state that claims no files
            }
            try {
                boolean own = uid.equals(ownUid);
                if (own && !journals.exists(uid)) {
                    continue;
                }
                long from = own ? -1 : restoredCheckpoint.orElse(Long.MIN_VALUE);
                if (from == Long.MIN_VALUE) {
                    return fullWalk("writer " + uid + " was restored without a checkpoint id");
                }
                OptionalLong floor = journals.floor(uid);
                if (floor.isEmpty()) {
                    return fullWalk("writer " + uid + " has no complete bucket journal (state written without "
                            + "one, taken over from Flink's FileSink, or journal retired)");
                }
                if (floor.getAsLong() > from) {
                    return fullWalk("the bucket journal of writer " + uid + " starts at checkpoint "
                            + floor.getAsLong() + ", after the restored " + from);
                }
                for (String bucketId : journals.bucketsSince(uid, from)) {
                    directories.add(bucketId.isEmpty() ? basePath : new Path(basePath, bucketId));
                }
            } catch (IOException | RuntimeException e) {
                return fullWalk("the bucket journal of writer " + uid + " cannot be read: " + e);
            }
        }
        return new OrphanDirectories(directories, null);
    }

    public static OrphanDirectories fullWalk(String reason) {
        return new OrphanDirectories(null, reason);
    }

    /** Whether the journals name every directory to look in. */
    public boolean fromJournal() {
        return directories != null;
    }

    /** The directories to list (only if {@link #fromJournal()}). */
    public Set<Path> directories() {
        if (directories == null) {
            throw new IllegalStateException("No journal: " + fullWalkReason);
        }
        return directories;
    }

    /** Why the whole base path is walked (only if not {@link #fromJournal()}). */
    public String fullWalkReason() {
        return fullWalkReason;
    }
}
