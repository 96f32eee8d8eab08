package dev.filesink.s3.compaction;

import dev.filesink.s3.S3Destination;
import dev.filesink.s3.S3Storage;
import dev.filesink.s3.testing.S3Server;
import dev.filesink.s3.testing.S3TestBucket;
import dev.filesink.s3.writer.S3Recoverable;
import dev.filesink.storage.CommitConflictException;
import dev.filesink.storage.CommitOutcome;
import dev.filesink.storage.CompactionSource;
import dev.filesink.storage.PartFileStorage;
import dev.filesink.storage.ServerSideConcatenation;
import dev.filesink.storage.StorageSession;

import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.RecoverableFsDataOutputStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The compacting variant of the S3 storage against a real S3 server (s3proxy): files under hidden names, their commit
 * from every intermediate state, concatenation in the store with the bytes through the task manager counted, local
 * copies, and the clean-up of what failed attempts leave.
 */
class S3CompactionStorageTest {

    private static final String BUCKET = "compaction-storage";
    private static final int MIB = 1024 * 1024;
    private static final int KIB = 1024;
    private static S3Server server;
    private static S3TestBucket files;

    @TempDir java.nio.file.Path spill;

    @BeforeAll
    static void startServer() throws Exception {
        server = S3Server.start();
        server.createBucket(BUCKET);
        files = new S3TestBucket(server, BUCKET);
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    private S3Destination destination() {
        return server.destination().spillDirectory(spill.toString()).build();
    }

    private StorageSession compacting(String prefix) throws IOException {
        return S3Storage.of(destination()).forCompaction().open(new Path("s3://" + BUCKET + "/" + prefix));
    }

    private StorageSession plain(String prefix) throws IOException {
        return S3Storage.of(destination()).open(new Path("s3://" + BUCKET + "/" + prefix));
    }

    private static S3Recoverable write(StorageSession session, Path target, byte[] content) throws IOException {
        RecoverableFsDataOutputStream out = session.recoverableWriter().open(target);
        out.write(content);
        return S3Recoverable.resolve(out.closeForCommit().getRecoverable());
    }

    /** Everything below the prefix, hidden objects and s3proxy's entries of open uploads included. */
    private static List<String> allKeys(String prefix) {
        return server.keys(BUCKET, prefix);
    }

    private static void assertNothingLeft(String prefix, String... finalKeys) {
        assertThat(allKeys(prefix)).as("objects below %s", prefix).containsExactlyInAnyOrder(finalKeys);
        assertThat(server.openUploads(BUCKET, prefix)).as("open uploads").isEmpty();
    }

    @Test
    void aHiddenFileIsInvisibleUntilItsCommitCopiesIt() throws Exception {
        byte[] content = S3TestBucket.randomBytes(6 * MIB + 100, 1);
        try (StorageSession session = compacting("commit")) {
            Path target = files.target("commit", "part-a-0");
            S3Recoverable file = write(session, target, content);
            assertThat(file.key()).startsWith("commit/.part-a-0.inprogress.");
            assertThat(file.targetKey()).isEqualTo("commit/part-a-0");
            assertThat(allKeys("commit/part-a-0")).as("nothing at the final key before the commit").isEmpty();

            assertThat(session.commit(target, file, content.length)).isEqualTo(CommitOutcome.COMMITTED);
            assertThat(files.read("commit/part-a-0")).isEqualTo(content);
            assertThat(server.client().headObject(b -> b.bucket(BUCKET).key("commit/part-a-0")).metadata())
                    .containsEntry("filesink-upload-token", file.token());
            assertNothingLeft("commit/", "commit/part-a-0");

            // Replayed after everything was done.
            assertThat(session.commit(target, file, content.length)).isEqualTo(CommitOutcome.ALREADY_COMMITTED);
            assertNothingLeft("commit/", "commit/part-a-0");
        }
    }

    @Test
    void aCommitReplaysFromEveryIntermediateStateAndANonCompactingSessionCommitsHiddenFiles() throws Exception {
        byte[] content = S3TestBucket.randomBytes(5 * MIB + 7, 2);
        try (StorageSession session = compacting("replay")) {
            // Finished at the hidden key (as a compaction does), never copied; committed after compaction was
            // switched off (a session of the plain variant).
            Path first = files.target("replay", "part-b-0");
            S3Recoverable finished = write(session, first, content);
            session.compactionSource(finished, content.length).orElseThrow().close();
            assertThat(allKeys(finished.key())).containsExactly(finished.key());
            try (StorageSession switchedOff = plain("replay")) {
                assertThat(switchedOff.supportsCompaction()).isFalse();
                assertThat(switchedOff.commit(first, finished, content.length)).isEqualTo(CommitOutcome.COMMITTED);
            }
            assertThat(files.read("replay/part-b-0")).isEqualTo(content);

            // Copied, but the hidden object not deleted yet; and a copy upload an earlier attempt left open.
            Path second = files.target("replay", "part-b-1");
            S3Recoverable copied = write(session, second, content);
            assertThat(session.commit(second, copied, content.length)).isEqualTo(CommitOutcome.COMMITTED);
            server.client().copyObject(b -> b.sourceBucket(BUCKET).sourceKey("replay/part-b-1")
                    .destinationBucket(BUCKET).destinationKey(copied.key()));
            assertThat(session.commit(second, copied, content.length)).isEqualTo(CommitOutcome.ALREADY_COMMITTED);

            // Finished at the hidden key with a copy upload left open by a failed attempt at the final key.
            Path third = files.target("replay", "part-b-2");
            S3Recoverable interrupted = write(session, third, content);
            session.compactionSource(interrupted, content.length).orElseThrow().close();
            server.client().createMultipartUpload(b -> b.bucket(BUCKET).key("replay/part-b-2"));
            assertThat(session.commit(third, interrupted, content.length)).isEqualTo(CommitOutcome.COMMITTED);
            assertThat(files.read("replay/part-b-2")).isEqualTo(content);

            assertNothingLeft("replay/", "replay/part-b-0", "replay/part-b-1", "replay/part-b-2");
        }
    }

    @Test
    void aHiddenFilePersistsResumesAndCommitsUnderItsNames() throws Exception {
        byte[] before = S3TestBucket.randomBytes(6 * MIB + 100, 6);
        byte[] after = S3TestBucket.randomBytes(KIB, 7);
        Path target = files.target("resume", "part-r-0");
        byte[] state;
        try (StorageSession failing = compacting("resume")) {
            RecoverableFsDataOutputStream out = failing.recoverableWriter().open(target);
            out.write(before);
            S3Recoverable persisted = S3Recoverable.resolve(out.persist());
            assertThat(persisted.stagingKey()).as("the tail is staged under the hidden name")
                    .startsWith("resume/_filesink-staging/.part-r-0.inprogress.");
            state = failing.recoverableWriter().getResumeRecoverableSerializer().serialize(persisted);
            out.close();
        }
        try (StorageSession restored = compacting("resume")) {
            S3Recoverable resumable = (S3Recoverable) restored.recoverableWriter().getResumeRecoverableSerializer()
                    .deserialize(restored.recoverableWriter().getResumeRecoverableSerializer().getVersion(), state);
            assertThat(resumable.targetKey()).isEqualTo("resume/part-r-0");
            RecoverableFsDataOutputStream out = restored.recoverableWriter().recover(resumable);
            out.write(after);
            S3Recoverable closed = S3Recoverable.resolve(out.closeForCommit().getRecoverable());
            assertThat(closed.key()).isEqualTo(resumable.key());
            assertThat(restored.commit(target, closed, before.length + after.length))
                    .isEqualTo(CommitOutcome.COMMITTED);
            restored.recoverableWriter().cleanupRecoverableState(resumable);
        }
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.write(before);
        expected.write(after);
        assertThat(files.read("resume/part-r-0")).isEqualTo(expected.toByteArray());
        assertNothingLeft("resume/", "resume/part-r-0");
    }

    @Test
    void aForeignObjectAtTheFinalKeyIsAConflictAndALostFileFailsLoudly() throws Exception {
        byte[] content = S3TestBucket.randomBytes(5 * MIB + 1, 3);
        try (StorageSession session = compacting("conflict")) {
            Path target = files.target("conflict", "part-c-0");
            S3Recoverable file = write(session, target, content);
            server.put(BUCKET, "conflict/part-c-0", "someone else's");
            assertThatThrownBy(() -> session.commit(target, file, content.length))
                    .isInstanceOf(CommitConflictException.class)
                    .hasMessageContaining("conflict/part-c-0");
            assertThat(server.read(BUCKET, "conflict/part-c-0")).isEqualTo("someone else's");

            Path lostTarget = files.target("conflict", "part-c-1");
            S3Recoverable lost = write(session, lostTarget, content);
            server.client().abortMultipartUpload(b -> b.bucket(BUCKET).key(lost.key()).uploadId(lost.uploadId()));
            assertThatThrownBy(() -> session.commit(lostTarget, lost, content.length))
                    .isInstanceOf(FileNotFoundException.class);
            assertThat(allKeys("conflict/part-c-1")).isEmpty();
        }
    }

    @Test
    void aSmallFileOfACompactingSinkIsStoredUnderItsHiddenNameNotCarriedInTheState() throws Exception {
        // Pending files wait in the compaction's state for many checkpoints: carried content would grow it unbounded.
        byte[] content = "small\n".getBytes(StandardCharsets.UTF_8);
        try (StorageSession session = compacting("small")) {
            Path target = files.target("small", "part-d-0");
            S3Recoverable file = write(session, target, content);
            assertThat(file.inlineTail()).isNull();
            assertThat(file.hasUpload()).isTrue();
            try (CompactionSource source = session.compactionSource(file, content.length).orElseThrow()) {
                assertThat(source.bytesFetched()).isEqualTo(content.length);
                assertThat(Files.readAllBytes(java.nio.file.Path.of(source.path().toUri()))).isEqualTo(content);
            }
            assertThat(session.commit(target, file, content.length)).isEqualTo(CommitOutcome.COMMITTED);
            assertNothingLeft("small/", "small/part-d-0");
        }
    }

    @Test
    void aLocalCopyHoldsExactlyThePendingFileAndGoesWithItsSource() throws Exception {
        byte[] content = S3TestBucket.randomBytes(5 * MIB + 3 * KIB, 4);
        try (StorageSession session = compacting("local"); StorageSession switchedOff = plain("local")) {
            S3Recoverable file = write(session, files.target("local", "part-e-0"), content);
            CompactionSource source = session.compactionSource(file, content.length).orElseThrow();
            java.nio.file.Path local = java.nio.file.Path.of(source.path().toUri());
            assertThat(local).startsWith(spill);
            assertThat(Files.readAllBytes(local)).isEqualTo(content);
            assertThat(source.bytesFetched()).isEqualTo(content.length);
            source.close();
            assertThat(local).doesNotExist();

            // A file written at its final key (compaction was off) is handed on uncompacted.
            S3Recoverable atFinalKey = write(switchedOff, files.target("local", "part-e-1"), content);
            assertThat(session.compactionSource(atFinalKey, content.length)).isEmpty();
            switchedOff.commit(files.target("local", "part-e-1"), atFinalKey, content.length);

            session.discardCompactedInput(file);
            session.discardCompactedInput(file); // already gone is fine
            assertNothingLeft("local/", "local/part-e-1");
        }
    }

    @Test
    void concatenationCopiesWhatS3AllowsInTheStoreAndCountsWhatPassedThrough() throws Exception {
        // Sizes that exercise every rule of the part plan (5 MiB parts): small files in S3, a big file after gathered bytes whose rest is copied, one whose rest is too small to be a part,
        // and a delimiter.
        int[] sizes = {100 * KIB, 3 * MIB, 7 * MIB, 2 * MIB, 6 * MIB, KIB};
        byte[] delimiter = {'\n'};
        try (StorageSession session = compacting("concat")) {
            List<ServerSideConcatenation.ConcatenationInput> inputs = new ArrayList<>();
            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            for (int i = 0; i < sizes.length; i++) {
                byte[] content = S3TestBucket.randomBytes(sizes[i], 10 + i);
                Path target = files.target("concat", "part-f-" + i);
                inputs.add(new ServerSideConcatenation.ConcatenationInput(target, write(session, target, content),
                        content.length));
                expected.write(content);
                expected.write(delimiter);
            }
            Path output = files.target("concat", "compacted-part-f-0");
            ServerSideConcatenation.ConcatenatedFile concatenated =
                    session.serverSideConcatenation().orElseThrow().concatenate(output, inputs, delimiter).orElseThrow();

            assertThat(concatenated.size()).isEqualTo(expected.size());
            // Downloaded: the 100 KiB, 3 MiB, 2 MiB and 1 KiB files; the head that fills the gathered 3 MiB + 102,402 bytes up to a
            // 5 MiB part before the 7 MiB file (whose rest, 5 MiB + 102,402, is copied); and all of the 6 MiB file
            // (its head 3 MiB - 2 fills the gathered 2 MiB + 2, its rest of 3 MiB + 2 is too small to be a part).
            // Uploaded: three parts (5 MiB, 5 MiB, and the last: 3 MiB + 2 + 1 KiB + 2 delimiters).
            long downloaded = 13L * MIB + 1_022;
            long uploaded = 13L * MIB + 1_028;
            assertThat(concatenated.bytesThroughTaskManager()).isEqualTo(downloaded + uploaded);
            S3Recoverable pending = S3Recoverable.resolve(concatenated.pendingFile());
            assertThat(pending.parts()).extracting(part -> part.size()).containsExactly(
                    5L * MIB, 5L * MIB + 102_402, 5L * MIB, 3L * MIB + 1_028);
            assertThat(allKeys("concat/compacted")).as("invisible until committed").isEmpty();

            assertThat(session.commit(output, concatenated.pendingFile(), concatenated.size()))
                    .isEqualTo(CommitOutcome.COMMITTED);
            assertThat(files.read("concat/compacted-part-f-0")).isEqualTo(expected.toByteArray());
            for (ServerSideConcatenation.ConcatenationInput input : inputs) {
                session.discardCompactedInput(input.pendingFile());
            }
            assertNothingLeft("concat/", "concat/compacted-part-f-0");
        }
    }

    @Test
    void bigInputsWithoutADelimiterAreConcatenatedWithoutAByteThroughTheTaskManager() throws Exception {
        try (StorageSession session = compacting("copyonly")) {
            List<ServerSideConcatenation.ConcatenationInput> inputs = new ArrayList<>();
            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            for (int i = 0; i < 2; i++) {
                byte[] content = S3TestBucket.randomBytes(5 * MIB + i, 20 + i);
                Path target = files.target("copyonly", "part-g-" + i);
                inputs.add(new ServerSideConcatenation.ConcatenationInput(target, write(session, target, content),
                        content.length));
                expected.write(content);
            }
            Path output = files.target("copyonly", "compacted-part-g-0");
            ServerSideConcatenation.ConcatenatedFile concatenated =
                    session.serverSideConcatenation().orElseThrow().concatenate(output, inputs, null).orElseThrow();
            assertThat(concatenated.bytesThroughTaskManager()).isZero();
            session.commit(output, concatenated.pendingFile(), concatenated.size());
            assertThat(files.read("copyonly/compacted-part-g-0")).isEqualTo(expected.toByteArray());
            for (ServerSideConcatenation.ConcatenationInput input : inputs) {
                session.discardCompactedInput(input.pendingFile());
            }
            assertNothingLeft("copyonly/", "copyonly/compacted-part-g-0");
        }
    }

    @Test
    void halfBuiltOutputsAndHiddenOrphansAreFoundByName() throws Exception {
        byte[] content = S3TestBucket.randomBytes(5 * MIB + 5, 5);
        try (StorageSession session = compacting("leftovers")) {
            // Inputs, and an output concatenated in the store but never handed on (its upload at the final key).
            Path a = files.target("leftovers", "part-h-0");
            Path b = files.target("leftovers", "part-h-1");
            S3Recoverable inputA = write(session, a, content);
            S3Recoverable inputB = write(session, b, content);
            session.serverSideConcatenation().orElseThrow().concatenate(files.target("leftovers", "compacted-part-h-0"),
                    List.of(new ServerSideConcatenation.ConcatenationInput(a, inputA, content.length),
                            new ServerSideConcatenation.ConcatenationInput(b, inputB, content.length)), null);
            // An output written through the task manager under its hidden name, finished.
            S3Recoverable throughTaskManager = write(session, files.target("leftovers", "compacted-part-h-1"), content);
            session.compactionSource(throughTaskManager, content.length).orElseThrow().close();
            // And another file that must stay.
            S3Recoverable other = write(session, files.target("leftovers", "part-h-9"), content);

            int discarded = session.discardInProgress(new Path("s3://" + BUCKET + "/leftovers"),
                    Set.of("compacted-part-h-0", "compacted-part-h-1"));
            assertThat(discarded).isGreaterThanOrEqualTo(2);
            assertThat(server.openUploads(BUCKET, "leftovers/compacted")).isEmpty();
            assertThat(allKeys("leftovers/.compacted")).isEmpty();

            // The inputs (finished at their hidden keys) and the other file's open upload are orphans by final name.
            int orphans = session.discardOrphans(name -> name.startsWith("part-h-"));
            assertThat(orphans).isGreaterThanOrEqualTo(3);
            assertThat(other.key()).startsWith("leftovers/.part-h-9.inprogress.");
            assertNothingLeft("leftovers/");
        }
    }

    @Test
    void theCompactingVariantSaysSoAndKeepsItsSettings() {
        S3Storage storage = S3Storage.of(destination());
        PartFileStorage compacting = storage.forCompaction();
        assertThat(compacting).isNotSameAs(storage);
        assertThat(compacting.forCompaction()).isSameAs(compacting);
        assertThat(compacting.toString()).contains("hidden in-progress names");
        assertThat(((S3Storage) compacting).destination()).isSameAs(storage.destination());
    }
}
