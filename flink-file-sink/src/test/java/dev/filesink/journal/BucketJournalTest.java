package dev.filesink.journal;

import dev.filesink.committer.FileSinkCommittable;
import dev.filesink.committer.FileSinkCommittableSerializer;
import dev.filesink.storage.FileSystemStorage;
import dev.filesink.storage.RecoverableSerializers;

import org.apache.flink.core.fs.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The bucket journal on a local folder: segments, floor markers, trims, retirements, and when a restore distrusts it. */
class BucketJournalTest {

    @TempDir java.nio.file.Path dir;

    private Path base() {
        return new Path(dir.toUri());
    }

    @Test
    void recordsEachBucketOncePerSegmentBeforeItsFileOpens() throws IOException {
        JournalFiles files = new JournalFiles(base());
        BucketJournal journal = BucketJournal.durable(files, "a", List.of());
        journal.beforeOpen("x");
        journal.beforeOpen("x");
        journal.beforeOpen("");
        assertThat(files.bucketsSince("a", -1)).as("visible before any checkpoint: flushed").containsExactly("x", "");
        journal.onSnapshot(5);
        journal.beforeOpen("y");
        journal.beforeOpen("x");
        journal.close();

        assertThat(journal.writes()).isEqualTo(4);
        assertThat(files.floor("a")).hasValue(-1);
        assertThat(files.bucketsSince("a", 5)).containsExactlyInAnyOrder("y", "x");
        assertThat(files.bucketsSince("a", 6)).isEmpty();
    }

    @Test
    void restoreReadsOnlySegmentsFromTheRestoredCheckpointAndDistrustsTrimmedOnes() throws IOException {
        JournalFiles files = new JournalFiles(base());
        BucketJournal journal = BucketJournal.durable(files, "a", List.of());
        journal.beforeOpen("old");
        journal.onSnapshot(3);
        journal.beforeOpen("mid");
        assertThat(journal.committables(false)).singleElement().satisfies(trim -> {
            assertThat(trim.isJournalTrim()).isTrue();
            assertThat(trim.journalFloor()).isEqualTo(3);
        });
        assertThat(journal.committables(false)).as("nothing new to trim").isEmpty();
        journal.onSnapshot(7);
        journal.beforeOpen("new");
        journal.close();

        assertThat(find(files, "b", Map.of("a", 10L), 7).directories())
                .containsExactly(new Path(base(), "new"));
        assertThat(find(files, "b", Map.of("a", 10L), 3).directories())
                .containsExactlyInAnyOrder(new Path(base(), "mid"), new Path(base(), "new"));

        files.trim("a", 3);
        assertThat(files.floor("a")).hasValue(3);
        assertThat(files.bucketsSince("a", -1)).as("segment -1 dropped").doesNotContain("old");
        OrphanDirectories older = find(files, "b", Map.of("a", 10L), 2);
        assertThat(older.fromJournal()).as("a checkpoint below the floor").isFalse();
        assertThat(older.fullWalkReason()).contains("starts at checkpoint 3");
        assertThat(find(files, "b", Map.of("a", 10L), 3).fromJournal()).isTrue();
        files.trim("a", 3); // a replayed trim changes nothing
        assertThat(files.floor("a")).hasValue(3);
    }

    @Test
    void fallsBackToTheFullWalkWhereNoJournalCanVouch() throws IOException {
        JournalFiles files = new JournalFiles(base());
        OrphanDirectories none = find(files, "b", Map.of("pre-journal", 4L), 9);
        assertThat(none.fromJournal()).isFalse();
        assertThat(none.fullWalkReason()).contains("no complete bucket journal");

        assertThat(find(files, "own", Map.of("own", 0L), 9).directories())
                .as("an own uid without a journal opened no file").isEmpty();
        assertThat(find(files, "own", Map.of("flink-takeover", Long.MAX_VALUE), 9).directories())
                .as("a state that claims no files").isEmpty();

        BucketJournal journal = BucketJournal.durable(files, "a", List.of());
        journal.beforeOpen("x");
        journal.close();
        files.retire("a");
        assertThat(files.exists("a")).isFalse();
        assertThat(find(files, "b", Map.of("a", 1L), 0).fromJournal()).as("retired").isFalse();

        BucketJournal incomplete = BucketJournal.durable(files, "c", List.of());
        incomplete.beforeOpen("x");
        incomplete.close();
        Files.delete(dir.resolve(JournalFiles.DIRECTORY).resolve("c").resolve(".floor.-1"));
        assertThat(find(files, "b", Map.of("c", 1L), 0).fromJournal()).as("no floor marker").isFalse();
    }

    @Test
    void ignoresATornLastRecord() throws IOException {
        JournalFiles files = new JournalFiles(base());
        BucketJournal journal = BucketJournal.durable(files, "a", List.of());
        journal.beforeOpen("x");
        journal.close();
        try (var segments = Files.list(dir.resolve(JournalFiles.DIRECTORY).resolve("a"))) {
            java.nio.file.Path segment = segments.filter(p -> p.getFileName().toString().startsWith(".segment."))
                    .findFirst().orElseThrow();
            Files.write(segment, new byte[] {0, 0, 0, 9, 'p', 'a'}, StandardOpenOption.APPEND);
        }
        assertThat(files.bucketsSince("a", -1)).containsExactly("x");
    }

    @Test
    void restoredJournalsRetireWithTheFirstCheckpointAndTheOwnOneAtTheEnd() throws IOException {
        JournalFiles files = new JournalFiles(base());
        BucketJournal journal = BucketJournal.durable(files, "new", List.of("old1", "old2"));
        assertThat(journal.committables(false)).extracting(FileSinkCommittable::target)
                .containsExactly(files.directoryOf("old1"), files.directoryOf("old2"));
        assertThat(journal.committables(false)).isEmpty();
        journal.onSnapshot(4);
        assertThat(journal.committables(true)).singleElement().satisfies(retire -> {
            assertThat(retire.target()).isEqualTo(files.directoryOf("new"));
            assertThat(retire.journalFloor()).isEqualTo(FileSinkCommittable.RETIRE_JOURNAL);
        });
        assertThat(journal.committables(true)).isEmpty();
    }

    @Test
    void memoryOnlyAndDisabledJournalsWriteNothing() throws IOException {
        BucketJournal memory = BucketJournal.inMemory();
        memory.beforeOpen("x");
        memory.onSnapshot(1);
        assertThat(memory.bucketsOpened()).containsExactly("x");
        assertThat(memory.committables(true)).isEmpty();
        BucketJournal.disabled().beforeOpen("x");
        assertThat(dir.resolve(JournalFiles.DIRECTORY)).doesNotExist();
    }

    @Test
    void journalCommittablesSurviveSerialization() throws IOException {
        FileSinkCommittableSerializer serializer =
                new FileSinkCommittableSerializer(new RecoverableSerializers(FileSystemStorage.INSTANCE, base()));
        JournalFiles files = new JournalFiles(base());
        for (FileSinkCommittable committable : List.of(
                FileSinkCommittable.journalTrim(files.directoryOf("a"), 12),
                FileSinkCommittable.journalRetirement(files.directoryOf("b")))) {
            FileSinkCommittable copy =
                    serializer.deserialize(serializer.getVersion(), serializer.serialize(committable));
            assertThat(copy.isJournalTrim()).isTrue();
            assertThat(copy.hasPendingFile()).isFalse();
            assertThat(copy.target()).isEqualTo(committable.target());
            assertThat(copy.journalFloor()).isEqualTo(committable.journalFloor());
        }
    }

    private OrphanDirectories find(JournalFiles files, String ownUid, Map<String, Long> uids, long checkpoint) {
        return OrphanDirectories.find(files, base(), ownUid, uids, OptionalLong.of(checkpoint));
    }
}
