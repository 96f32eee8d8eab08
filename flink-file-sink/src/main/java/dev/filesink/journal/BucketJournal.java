package dev.filesink.journal;

import dev.filesink.committer.FileSinkCommittable;

import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.core.fs.Path;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * One writer's record of the buckets it opens part files in, so that a restart lists only those directories for
 * orphans instead of walking the whole base path (see docs/reliability.md).
 *
 * <p>Before the writer opens a part file in a bucket not yet recorded in the current segment, the bucket id is
 * appended and flushed. Segments roll at each snapshot. At each checkpoint the writer hands the committer a trim of
 * its own journal to the segment that was current before the snapshot, and, with its first checkpoint, the
 * retirement of the journals of the writers whose state it restored; the committer does both once that checkpoint
 * completes. At the end of input it hands over the retirement of its own journal.
 */
public class BucketJournal {

    private static final Logger LOG = LoggerFactory.getLogger(BucketJournal.class);

    /** No journal: orphans are not discarded at all, or the storage cannot list one directory alone. */
    public static BucketJournal disabled() {
        return new BucketJournal();
    }

    /**
     * A journal kept only in memory, for a writer that discards its own unfinished files when it closes (a
     * speculative attempt): no later attempt reads it.
     */
    public static BucketJournal inMemory() {
        return new InMemory();
    }

    /** A durable journal of writer {@code uid}; retires the journals of {@code restoredUids} after the first checkpoint. */
    public static BucketJournal durable(JournalFiles files, String uid, Collection<String> restoredUids)
            throws IOException {
        files.startIfAbsent(uid);
        return new Durable(files, uid, restoredUids);
    }

    private BucketJournal() {}

    /** Records the bucket before a part file is opened in it. */
    public void beforeOpen(String bucketId) throws IOException {}

    /** The writer snapshotted this checkpoint: a new segment begins. */
    public void onSnapshot(long checkpointId) throws IOException {}

    /** What the committer does with the journals once the checkpoint now being prepared completes. */
    public List<FileSinkCommittable> committables(boolean endOfInput) {
        return List.of();
    }

    /** Every bucket a part file was opened in, for an in-memory journal; null otherwise. */
    public Set<String> bucketsOpened() {
        return null;
    }

    /** How many records were appended durably (metrics, benchmarks). */
    public long writes() {
        return 0;
    }

    public void close() {}

    private static final class InMemory extends BucketJournal {
        private final Set<String> buckets = new LinkedHashSet<>();

        @Override
        public void beforeOpen(String bucketId) {
            buckets.add(bucketId);
        }

        @Override
        public Set<String> bucketsOpened() {
            return buckets;
        }
    }

    private static final class Durable extends BucketJournal {
        private final JournalFiles files;
        private final String uid;
        private final String token = UUID.randomUUID().toString().substring(0, 8);
        private List<String> restoredToRetire;
        private final Set<String> recorded = new HashSet<>();
        private long segment = -1;
        private long trimmedTo = -1;
        private FSDataOutputStream out;
        private long writes;
        private boolean retired;

        Durable(JournalFiles files, String uid, Collection<String> restoredUids) {
            this.files = files;
            this.uid = uid;
            this.restoredToRetire = new ArrayList<>(restoredUids);
            this.restoredToRetire.remove(uid);
        }

        @Override
        public void beforeOpen(String bucketId) throws IOException {
            if (!recorded.add(bucketId)) {
                return;
            }
            try {
                if (out == null) {
                    out = files.createSegment(uid, segment, token);
                }
                JournalFiles.append(out, bucketId);
                writes++;
            } catch (IOException | RuntimeException e) {
                recorded.remove(bucketId);
                throw new IOException("Cannot record bucket '" + bucketId + "' in the bucket journal of writer "
                        + uid + " (" + files + "): " + e.getMessage(), e);
            }
        }

        @Override
        public void onSnapshot(long checkpointId) throws IOException {
            closeSegment();
            segment = checkpointId;
            recorded.clear();
        }

        @Override
        public List<FileSinkCommittable> committables(boolean endOfInput) {
            List<FileSinkCommittable> committables = new ArrayList<>(restoredToRetire.size() + 1);
            for (String restored : restoredToRetire) {
                committables.add(FileSinkCommittable.journalRetirement(files.directoryOf(restored)));
            }
            restoredToRetire = List.of();
            if (endOfInput && !retired) {
                retired = true;
                committables.add(FileSinkCommittable.journalRetirement(files.directoryOf(uid)));
            } else if (!retired && segment > trimmedTo) {
                trimmedTo = segment;
                committables.add(FileSinkCommittable.journalTrim(files.directoryOf(uid), segment));
            }
            return committables;
        }

        @Override
        public long writes() {
            return writes;
        }

        @Override
        public void close() {
            try {
                closeSegment();
            } catch (IOException e) {
                LOG.debug("Could not close the bucket journal segment of writer {}: {}", uid, e.toString());
            }
        }

        private void closeSegment() throws IOException {
            if (out != null) {
                FSDataOutputStream closing = out;
                out = null;
                closing.close();
            }
        }
    }

    /** The uid whose journal a journal committable's directory holds. */
    public static String uidOf(Path journalDirectory) {
        return journalDirectory.getName();
    }
}
