package dev.filesink.writer;

import dev.filesink.bucket.BucketState;
import dev.filesink.committer.FileSinkCommittable;
import dev.filesink.journal.JournalFiles;
import dev.filesink.journal.OrphanDirectories;
import dev.filesink.metrics.SinkMetrics;
import dev.filesink.partfile.PartFileNaming;
import dev.filesink.storage.StorageSession;

import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.RecoverableWriter;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What a starting writer does about storage that earlier runs left behind. Orphans of failed attempts (part files
 * opened after the restored checkpoint) are removed at once: no checkpoint names them. Staged persists that no
 * restored state references are only collected here and handed to the committer with the first checkpoint, so
 * they go once that checkpoint completes. Both are counted, and a restore logs one line saying what was found.
 */
final class RestoreCleanup {

    private static final Logger LOG = LoggerFactory.getLogger(RestoreCleanup.class);

    /** Makes restores walk the whole base path even where bucket journals exist (benchmarks compare the two). */
    static final String FORCE_FULL_WALK_PROPERTY = "dev.filesink.restore.fullWalk";

    private final Path basePath;
    private List<RecoverableWriter.ResumeRecoverable> leftovers;

    private RestoreCleanup(Path basePath, List<RecoverableWriter.ResumeRecoverable> leftovers) {
        this.basePath = basePath;
        this.leftovers = leftovers;
    }

    /**
     * @param journals the bucket journals below the base path, or null if this storage keeps none (then orphans
     *     are searched for in the whole base path)
     * @param restoredCheckpoint the checkpoint the writer restored from, if any
     */
    static RestoreCleanup run(
            WriterSettings<?> settings,
            StorageSession storage,
            WriterIdentity identity,
            Collection<FileWriterState> restored,
            PartFileNaming naming,
            SinkMetrics.WriterMetrics metrics,
            @Nullable JournalFiles journals,
            OptionalLong restoredCheckpoint)
            throws IOException {
        if (!settings.discardOrphans() || (restored.isEmpty() && !identity.mayHaveOrphans())) {
            return new RestoreCleanup(settings.basePath(), List.of());
        }
        int orphans = identity.mayHaveOrphans()
                ? discardOrphans(settings, storage, identity, naming, metrics, journals, restoredCheckpoint)
                : 0;
        metrics.orphansDiscarded().inc(orphans);

        List<RecoverableWriter.ResumeRecoverable> resumables = new ArrayList<>();
        Set<String> restoredNames = new HashSet<>();
        Set<String> uids = new HashSet<>();
        uids.add(identity.uid());
        for (FileWriterState state : restored) {
            uids.add(state.uid());
            for (BucketState bucket : state.buckets()) {
                if (bucket.inProgress() != null) {
                    resumables.add(bucket.inProgress().resumable());
                    restoredNames.add(bucket.inProgress().target().getName());
                }
            }
        }
        List<RecoverableWriter.ResumeRecoverable> leftovers = restored.isEmpty()
                ? List.of()
                : storage.unreferencedPersists(resumables, owned(naming, uids, restoredNames));
        metrics.stagingLeftoversScheduled().inc(leftovers.size());
        LOG.info("Writer {} started from {} restored writer states with {} in-progress part files below {}: removed {} "
                        + "objects of failed attempts; {} staged persists that no restored state references are deleted "
                        + "once the first checkpoint completes", identity.uid(), restored.size(), resumables.size(),
                settings.basePath(), orphans, leftovers.size());
        return new RestoreCleanup(settings.basePath(), new ArrayList<>(leftovers));
    }

    /**
     * Lists only the directories the bucket journals name when they can vouch for all of them, the whole base path
     * otherwise; says in the log which it did and how long it took.
     */
    private static int discardOrphans(
            WriterSettings<?> settings,
            StorageSession storage,
            WriterIdentity identity,
            PartFileNaming naming,
            SinkMetrics.WriterMetrics metrics,
            @Nullable JournalFiles journals,
            OptionalLong restoredCheckpoint)
            throws IOException {
        long start = System.nanoTime();
        OrphanDirectories where;
        if (journals == null) {
            where = OrphanDirectories.fullWalk("this storage keeps no bucket journal");
        } else if (Boolean.getBoolean(FORCE_FULL_WALK_PROPERTY)) {
            where = OrphanDirectories.fullWalk("system property " + FORCE_FULL_WALK_PROPERTY + " is set");
        } else {
            where = OrphanDirectories.find(
                    journals, settings.basePath(), identity.uid(), identity.orphanCounters(), restoredCheckpoint);
        }
        int orphans;
        if (where.fromJournal()) {
            orphans = storage.discardOrphans(identity.orphanFilter(naming), where.directories());
            metrics.orphanSearchesByJournal().inc();
        } else {
            orphans = storage.discardOrphans(identity.orphanFilter(naming));
            metrics.orphanSearchesByFullWalk().inc();
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        if (where.fromJournal()) {
            LOG.info("Writer {} searched {} directories named by bucket journals for orphans in {} ms",
                    identity.uid(), where.directories().size(), millis);
        } else {
            LOG.info("Writer {} walked the whole base path {} for orphans in {} ms: {}",
                    identity.uid(), settings.basePath(), millis, where.fullWalkReason());
        }
        return orphans;
    }

    /**
     * Part files this writer answers for: those of the writers whose state it restored, its own, and the restored
     * in-progress files. After a restore every writer gets a new uid, so no other running writer writes these.
     */
    private static Predicate<String> owned(PartFileNaming naming, Set<String> uids, Set<String> restoredNames) {
        return name -> restoredNames.contains(name)
                || uids.stream().anyMatch(uid -> naming.counterOf(name, uid).isPresent());
    }

    /** The collected leftovers as cleanups for the committer, once; afterwards nothing. */
    List<FileSinkCommittable> drain() {
        if (leftovers.isEmpty()) {
            return List.of();
        }
        List<FileSinkCommittable> cleanups = new ArrayList<>(leftovers.size());
        for (RecoverableWriter.ResumeRecoverable leftover : leftovers) {
            cleanups.add(FileSinkCommittable.cleanup("", basePath, leftover));
        }
        leftovers = List.of();
        return cleanups;
    }
}
