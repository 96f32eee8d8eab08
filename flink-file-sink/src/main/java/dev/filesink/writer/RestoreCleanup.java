package dev.filesink.writer;

import dev.filesink.bucket.BucketState;
import dev.filesink.committer.FileSinkCommittable;
import dev.filesink.metrics.SinkMetrics;
import dev.filesink.partfile.PartFileNaming;
import dev.filesink.storage.StorageSession;

import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.RecoverableWriter;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
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

    private final Path basePath;
    private List<RecoverableWriter.ResumeRecoverable> leftovers;

    private RestoreCleanup(Path basePath, List<RecoverableWriter.ResumeRecoverable> leftovers) {
        this.basePath = basePath;
        this.leftovers = leftovers;
    }

    static RestoreCleanup run(
            WriterSettings<?> settings,
            StorageSession storage,
            WriterIdentity identity,
            Collection<FileWriterState> restored,
            PartFileNaming naming,
            SinkMetrics.WriterMetrics metrics)
            throws IOException {
        if (!settings.discardOrphans() || (restored.isEmpty() && !identity.mayHaveOrphans())) {
            return new RestoreCleanup(settings.basePath(), List.of());
        }
        int orphans = identity.mayHaveOrphans() ? storage.discardOrphans(identity.orphanFilter(naming)) : 0;
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
