package dev.filesink.s3;

import dev.filesink.s3.client.S3Operations;
import dev.filesink.s3.config.S3Credentials;
import dev.filesink.s3.testing.S3Server;
import dev.filesink.s3.testing.S3TestBucket;
import dev.filesink.s3.writer.S3Recoverable;
import dev.filesink.storage.CommitConflictException;
import dev.filesink.storage.CommitOutcome;
import dev.filesink.storage.StorageSession;

import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.RecoverableFsDataOutputStream;
import org.apache.flink.core.fs.RecoverableWriter;
import org.apache.flink.core.io.SimpleVersionedSerializer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The S3 storage against a real S3 server (s3proxy): writing, persisting, resuming, committing, cleaning up. */
class S3StorageTest {

    private static final String BUCKET = "sink-test";
    private static final int MIB = 1024 * 1024;
    private static S3Server server;
    private static S3TestBucket files;

    @TempDir java.nio.file.Path spill;

    @BeforeAll
    static void startServer() throws Exception {
        server = S3Server.startWithFaults();
        server.createBucket(BUCKET);
        files = new S3TestBucket(server, BUCKET);
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    private StorageSession session(String prefix) throws IOException {
        return files.session(prefix, server.destination().spillDirectory(spill.toString()).build());
    }

    private static boolean exists(String key) {
        return !server.keys(BUCKET, key).isEmpty() && server.keys(BUCKET, key).contains(key);
    }

    @Test
    void largeFileUploadsPartsPersistsATailAndCommitsOnlyOnCommit() throws Exception {
        try (StorageSession session = session("large")) {
            RecoverableWriter writer = session.recoverableWriter();
            byte[] first = S3TestBucket.randomBytes(12 * MIB + 123, 1);
            byte[] second = S3TestBucket.randomBytes(3 * MIB, 2);
            RecoverableFsDataOutputStream out = writer.open(files.target("large", "part-a-0"));
            out.write(first);
            S3Recoverable persisted = S3Recoverable.resolve(out.persist());
            assertThat(persisted.parts()).hasSize(2);
            assertThat(persisted.stagingKey()).startsWith("large/_filesink-staging/part-a-0.");
            assertThat(persisted.tailLength()).isEqualTo(2 * MIB + 123);
            assertThat(exists(persisted.stagingKey())).isTrue();
            out.write(second);
            RecoverableFsDataOutputStream.Committer committer = out.closeForCommit();
            assertThat(exists("large/part-a-0")).as("visible before commit").isFalse();

            CommitOutcome outcome = session.commit(files.target("large", "part-a-0"), committer.getRecoverable(), first.length + second.length);
            assertThat(outcome).isEqualTo(CommitOutcome.COMMITTED);
            assertThat(files.read("large/part-a-0")).isEqualTo(concat(first, second));
            assertThat(server.openUploads(BUCKET, "large/")).isEmpty();

            // The superseded persist's staged tail goes when the committer cleans up.
            writer.cleanupRecoverableState(persisted);
            assertThat(server.keys(BUCKET, "large/_filesink-staging/")).isEmpty();

            // A replayed commit (restore after the commit) changes nothing. (s3proxy answers a repeated completion
            // of the same upload with success, as S3 may; either answer is fine as long as the object is unchanged.)
            assertThat(session.commit(files.target("large", "part-a-0"), committer.getRecoverable(), first.length + second.length))
                    .isIn(CommitOutcome.COMMITTED, CommitOutcome.ALREADY_COMMITTED);
            assertThat(files.read("large/part-a-0")).isEqualTo(concat(first, second));
        }
    }

    @Test
    void resumedFileContinuesTheSameUploadFromThePersistedState() throws Exception {
        byte[] before = S3TestBucket.randomBytes(6 * MIB + 77, 3);
        byte[] lost = S3TestBucket.randomBytes(7 * MIB, 4);
        byte[] after = S3TestBucket.randomBytes(2 * MIB, 5);
        RecoverableWriter.ResumeRecoverable checkpointed;
        byte[] state;
        try (StorageSession failing = session("resume")) {
            RecoverableWriter writer = failing.recoverableWriter();
            RecoverableFsDataOutputStream out = writer.open(files.target("resume", "part-b-0"));
            out.write(before);
            checkpointed = S3Recoverable.resolve(out.persist());
            state = writer.getResumeRecoverableSerializer().serialize(checkpointed);
            out.write(lost); // written after the checkpoint, then the task fails
            out.close();
        }
        try (StorageSession restarted = session("resume")) {
            RecoverableWriter writer = restarted.recoverableWriter();
            SimpleVersionedSerializer<RecoverableWriter.ResumeRecoverable> serializer = writer.getResumeRecoverableSerializer();
            RecoverableWriter.ResumeRecoverable restored = serializer.deserialize(serializer.getVersion(), state);
            assertThat(restored).isEqualTo(checkpointed);
            RecoverableFsDataOutputStream out = writer.recover(restored);
            assertThat(out.getPos()).isEqualTo(before.length);
            out.write(after);
            RecoverableWriter.CommitRecoverable pending = out.closeForCommit().getRecoverable();
            assertThat(restarted.commit(files.target("resume", "part-b-0"), pending, before.length + after.length))
                    .isEqualTo(CommitOutcome.COMMITTED);
            writer.cleanupRecoverableState(restored);
        }
        assertThat(files.read("resume/part-b-0")).isEqualTo(concat(before, after));
        assertThat(server.openUploads(BUCKET, "resume/")).isEmpty();
        assertThat(server.keys(BUCKET, "resume/")).containsExactly("resume/part-b-0");
    }

    @Test
    void smallTailStaysInTheStateAndSmallFilesAreOnePut() throws Exception {
        try (StorageSession session = session("small")) {
            RecoverableWriter writer = session.recoverableWriter();
            RecoverableFsDataOutputStream out = writer.open(files.target("small", "part-c-0"));
            out.write("hello ".getBytes());
            S3Recoverable persisted = S3Recoverable.resolve(out.persist());
            assertThat(persisted.inlineTail()).isEqualTo("hello ".getBytes());
            assertThat(persisted.uploadId()).as("no upload for a small file").isNull();
            out.write("world".getBytes());
            RecoverableWriter.CommitRecoverable pending = out.closeForCommit().getRecoverable();
            assertThat(server.keys(BUCKET, "small/")).isEmpty();
            assertThat(server.openUploads(BUCKET, "small/")).isEmpty();

            // The committable survives serialization, then commits exactly once.
            SimpleVersionedSerializer<RecoverableWriter.CommitRecoverable> serializer = writer.getCommitRecoverableSerializer();
            RecoverableWriter.CommitRecoverable restored =
                    serializer.deserialize(serializer.getVersion(), serializer.serialize(pending));
            assertThat(session.commit(files.target("small", "part-c-0"), restored, 11)).isEqualTo(CommitOutcome.COMMITTED);
            assertThat(session.commit(files.target("small", "part-c-0"), restored, 11)).isEqualTo(CommitOutcome.ALREADY_COMMITTED);
            assertThat(new String(files.read("small/part-c-0"))).isEqualTo("hello world");
        }
    }

    @Test
    void aRestoredResumableCanBeCommittedDirectly() throws Exception {
        // After a rescale the core commits an in-progress file from its resumable: the tail becomes the last part.
        byte[] data = S3TestBucket.randomBytes(5 * MIB + 3 * MIB, 6);
        try (StorageSession session = session("rescale")) {
            RecoverableWriter writer = session.recoverableWriter();
            RecoverableFsDataOutputStream out = writer.open(files.target("rescale", "part-d-0"));
            out.write(data);
            S3Recoverable persisted = S3Recoverable.resolve(out.persist());
            out.close();
            assertThat(persisted.hasUpload()).isTrue();
            assertThat(persisted.stagingKey()).isNotNull();
            assertThat(session.commit(files.target("rescale", "part-d-0"), persisted, data.length)).isEqualTo(CommitOutcome.COMMITTED);
            assertThat(session.commit(files.target("rescale", "part-d-0"), persisted, data.length))
                    .isIn(CommitOutcome.COMMITTED, CommitOutcome.ALREADY_COMMITTED);
        }
        assertThat(files.read("rescale/part-d-0")).isEqualTo(data);
        assertThat(server.keys(BUCKET, "rescale/")).containsExactly("rescale/part-d-0");
    }

    @Test
    void anInProgressFileCommittedFromItsRestoredStateTakesItsOtherStagingObjectsAndStrayUploadsAlong()
            throws Exception {
        // A writer that is gone persisted twice: its first tail was superseded but never deleted (it would have been
        // after the next checkpoint). After a scale-down the new writer commits the file from the second state.
        byte[] data = S3TestBucket.randomBytes(5 * MIB + 400_000, 21);
        try (StorageSession session = session("takeover")) {
            RecoverableWriter writer = session.recoverableWriter();
            RecoverableFsDataOutputStream out = writer.open(files.target("takeover", "part-e-0"));
            out.write(data, 0, 5 * MIB + 200_000);
            S3Recoverable.resolve(out.persist());
            out.write(data, 5 * MIB + 200_000, 200_000);
            RecoverableWriter.ResumeRecoverable second = roundTrip(writer, out.persist());
            out.close();
            assertThat(server.keys(BUCKET, "takeover/_filesink-staging/")).hasSize(2);

            assertThat(session.commit(files.target("takeover", "part-e-0"),
                    (RecoverableWriter.CommitRecoverable) second, data.length)).isEqualTo(CommitOutcome.COMMITTED);
        }
        assertThat(files.read("takeover/part-e-0")).isEqualTo(data);
        assertThat(server.keys(BUCKET, "takeover/")).containsExactly("takeover/part-e-0");

        // A small file persisted without an upload; the failed attempt then outgrew a single PUT and started one.
        byte[] small = S3TestBucket.randomBytes(400_000, 22);
        try (StorageSession session = session("takeover-small")) {
            RecoverableWriter writer = session.recoverableWriter();
            RecoverableFsDataOutputStream out = writer.open(files.target("takeover-small", "part-f-0"));
            out.write(small, 0, 100_000);
            RecoverableWriter.ResumeRecoverable restored = roundTrip(writer, out.persist());
            out.write(small, 100_000, 300_000);
            S3Recoverable.resolve(out.persist());
            out.close();
            assertThat(server.openUploads(BUCKET, "takeover-small/")).hasSize(1);

            assertThat(session.commit(files.target("takeover-small", "part-f-0"),
                    (RecoverableWriter.CommitRecoverable) restored, 100_000)).isEqualTo(CommitOutcome.COMMITTED);
        }
        assertThat(files.read("takeover-small/part-f-0")).isEqualTo(Arrays.copyOf(small, 100_000));
        assertThat(server.keys(BUCKET, "takeover-small/")).containsExactly("takeover-small/part-f-0");
        assertThat(server.openUploads(BUCKET, "takeover-small/")).isEmpty();
    }

    @Test
    void theRestoreSweepOffersOnlyDeadStagingObjectsOfOwnedPartFiles() throws Exception {
        byte[] data = S3TestBucket.randomBytes(300_000, 23);
        try (StorageSession session = session("sweep")) {
            RecoverableWriter writer = session.recoverableWriter();
            // Restored, persisted twice: the first tail is dead, the second is the restored state.
            RecoverableFsDataOutputStream restoredFile = writer.open(files.target("sweep/b", "part-own-0"));
            restoredFile.write(data, 0, 100_000);
            S3Recoverable superseded = S3Recoverable.resolve(restoredFile.persist());
            restoredFile.write(data, 100_000, 100_000);
            RecoverableWriter.ResumeRecoverable restored = roundTrip(writer, restoredFile.persist());
            restoredFile.close();
            // Committed since its tail was staged: dead.
            RecoverableFsDataOutputStream committed = writer.open(files.target("sweep/b", "part-own-1"));
            committed.write(data, 0, 100_000);
            S3Recoverable committedTail = S3Recoverable.resolve(committed.persist());
            committed.write(data, 100_000, 50_000);
            commit(session, "sweep/b", "part-own-1", committed.closeForCommit().getRecoverable(), 150_000);
            // Neither restored nor committed: the committer's restored state may still commit it. Kept.
            RecoverableFsDataOutputStream pending = writer.open(files.target("sweep/b", "part-own-2"));
            pending.write(data, 0, 100_000);
            S3Recoverable pendingTail = S3Recoverable.resolve(pending.persist());
            pending.close();
            // Committed, but not this writer's (another job, another base path sharing the prefix). Kept.
            RecoverableFsDataOutputStream foreign = writer.open(files.target("sweep/b", "part-other-0"));
            foreign.write(data, 0, 100_000);
            S3Recoverable foreignTail = S3Recoverable.resolve(foreign.persist());
            foreign.write(data, 100_000, 50_000);
            commit(session, "sweep/b", "part-other-0", foreign.closeForCommit().getRecoverable(), 150_000);

            java.util.List<RecoverableWriter.ResumeRecoverable> dead = session.unreferencedPersists(
                    java.util.List.of(restored), name -> name.startsWith("part-own-"));
            assertThat(dead).extracting(r -> ((S3Recoverable) r).stagingKey()).containsExactlyInAnyOrder(
                    superseded.stagingKey(), committedTail.stagingKey());
            for (RecoverableWriter.ResumeRecoverable leftover : dead) {
                writer.cleanupRecoverableState(leftover);
            }
            assertThat(server.keys(BUCKET, "sweep/_filesink-staging/")).containsExactlyInAnyOrder(
                    S3Recoverable.resolve(restored).stagingKey(), pendingTail.stagingKey(),
                    foreignTail.stagingKey());
            session.discardOrphans(name -> true);
        }
    }

    private static void commit(StorageSession session, String folder, String name,
            RecoverableWriter.CommitRecoverable file, long size) throws IOException {
        assertThat(session.commit(files.target(folder, name), file, size)).isEqualTo(CommitOutcome.COMMITTED);
    }

    /** Through the checkpoint's serializer, as a restored writer gets it. */
    private static RecoverableWriter.ResumeRecoverable roundTrip(
            RecoverableWriter writer, RecoverableWriter.ResumeRecoverable resumable) throws IOException {
        SimpleVersionedSerializer<RecoverableWriter.ResumeRecoverable> serializer =
                writer.getResumeRecoverableSerializer();
        return serializer.deserialize(serializer.getVersion(), serializer.serialize(resumable));
    }

    @Test
    void anObjectTheSinkDidNotWriteIsNeverOverwritten() throws Exception {
        server.put(BUCKET, "conflict/part-e-0", "somebody else's");
        server.put(BUCKET, "conflict/part-e-1", "somebody else's");
        try (StorageSession session = session("conflict")) {
            RecoverableWriter writer = session.recoverableWriter();
            RecoverableFsDataOutputStream big = writer.open(files.target("conflict", "part-e-0"));
            big.write(S3TestBucket.randomBytes(6 * MIB, 7));
            RecoverableWriter.CommitRecoverable bigPending = big.closeForCommit().getRecoverable();
            assertThatThrownBy(() -> session.commit(files.target("conflict", "part-e-0"), bigPending, 6 * MIB))
                    .isInstanceOf(CommitConflictException.class)
                    .hasMessageContaining("conflict/part-e-0");

            RecoverableFsDataOutputStream small = writer.open(files.target("conflict", "part-e-1"));
            small.write("mine".getBytes());
            RecoverableWriter.CommitRecoverable smallPending = small.closeForCommit().getRecoverable();
            assertThatThrownBy(() -> session.commit(files.target("conflict", "part-e-1"), smallPending, 4))
                    .isInstanceOf(CommitConflictException.class);
            // Clean up the kept upload.
            S3Recoverable kept = S3Recoverable.resolve(bigPending);
            server.client().abortMultipartUpload(b -> b.bucket(BUCKET).key(kept.key()).uploadId(kept.uploadId()));
        }
        assertThat(server.read(BUCKET, "conflict/part-e-0")).isEqualTo("somebody else's");
        assertThat(server.read(BUCKET, "conflict/part-e-1")).isEqualTo("somebody else's");
    }

    @Test
    void withoutConditionalWritesOrChecksumsConflictsAreStillFound() throws Exception {
        server.put(BUCKET, "plain/part-f-1", "somebody else's");
        S3Destination plain = server.destination().conditionalWrites(false).checksums(false)
                .spillDirectory(spill.toString()).build();
        try (StorageSession session = files.session("plain", plain)) {
            RecoverableWriter writer = session.recoverableWriter();
            byte[] data = S3TestBucket.randomBytes(7 * MIB, 8);
            RecoverableFsDataOutputStream out = writer.open(files.target("plain", "part-f-0"));
            out.write(data);
            RecoverableWriter.CommitRecoverable pending = out.closeForCommit().getRecoverable();
            assertThat(session.commit(files.target("plain", "part-f-0"), pending, data.length)).isEqualTo(CommitOutcome.COMMITTED);
            assertThat(session.commit(files.target("plain", "part-f-0"), pending, data.length)).isEqualTo(CommitOutcome.ALREADY_COMMITTED);
            assertThat(files.read("plain/part-f-0")).isEqualTo(data);
            assertThat(files.read("plain/part-f-0")).isEqualTo(data);

            RecoverableFsDataOutputStream other = writer.open(files.target("plain", "part-f-1"));
            other.write("mine".getBytes());
            RecoverableWriter.CommitRecoverable otherPending = other.closeForCommit().getRecoverable();
            assertThatThrownBy(() -> session.commit(files.target("plain", "part-f-1"), otherPending, 4))
                    .isInstanceOf(CommitConflictException.class);
        }
        assertThat(server.read(BUCKET, "plain/part-f-1")).isEqualTo("somebody else's");
    }

    @Test
    void aCompletionWhoseResponseWasLostIsRecognizedAsOurs() throws Exception {
        try (StorageSession session = session("lost-response")) {
            RecoverableWriter writer = session.recoverableWriter();
            byte[] data = S3TestBucket.randomBytes(6 * MIB, 9);
            RecoverableFsDataOutputStream out = writer.open(files.target("lost-response", "part-g-0"));
            out.write(data);
            RecoverableWriter.CommitRecoverable pending = out.closeForCommit().getRecoverable();
            server.faults().loseCompletionResponses(1);
            CommitOutcome outcome = session.commit(files.target("lost-response", "part-g-0"), pending, data.length);
            assertThat(server.faults().lostResponses()).isEqualTo(1);
            assertThat(outcome).isIn(CommitOutcome.COMMITTED, CommitOutcome.ALREADY_COMMITTED);
            assertThat(files.read("lost-response/part-g-0")).isEqualTo(data);
        }
    }

    @Test
    void aLostUploadFailsTheCommitAsLostData() throws Exception {
        try (StorageSession session = session("lost")) {
            RecoverableWriter writer = session.recoverableWriter();
            RecoverableFsDataOutputStream out = writer.open(files.target("lost", "part-h-0"));
            out.write(S3TestBucket.randomBytes(6 * MIB, 10));
            S3Recoverable pending = S3Recoverable.resolve(out.closeForCommit().getRecoverable());
            server.client().abortMultipartUpload(b -> b.bucket(BUCKET).key(pending.key()).uploadId(pending.uploadId()));
            assertThatThrownBy(() -> session.commit(files.target("lost", "part-h-0"), pending, 6 * MIB))
                    .isInstanceOf(FileNotFoundException.class)
                    .hasMessageContaining("lost/part-h-0");
        }
    }

    @Test
    void orphansOfFailedAttemptsAreAbortedAndTheirStagingObjectsDeleted() throws Exception {
        try (StorageSession session = session("orphans")) {
            RecoverableWriter writer = session.recoverableWriter();
            for (String name : new String[] {"part-x-5", "part-keep-1"}) {
                RecoverableFsDataOutputStream out = writer.open(files.target("orphans/bucket-1", name));
                out.write(S3TestBucket.randomBytes(6 * MIB + 1000 * 100, 11));
                S3Recoverable.resolve(out.persist());
                out.close();
            }
            assertThat(server.openUploads(BUCKET, "orphans/")).hasSize(2);
            assertThat(server.keys(BUCKET, "orphans/_filesink-staging/")).hasSize(2);

            int discarded = session.discardOrphans(name -> name.startsWith("part-x-"));
            assertThat(discarded).as("one upload aborted, one staging object deleted").isEqualTo(2);
            assertThat(server.openUploads(BUCKET, "orphans/")).extracting(u -> u.key())
                    .containsExactly("orphans/bucket-1/part-keep-1");
            assertThat(server.keys(BUCKET, "orphans/_filesink-staging/"))
                    .singleElement().asString().startsWith("orphans/_filesink-staging/bucket-1/part-keep-1.");
            session.discardOrphans(name -> true);
        }
        assertThat(server.openUploads(BUCKET, "orphans/")).isEmpty();
    }

    @Test
    void partsBeyondTheMemoryBudgetSpillToLocalFiles() throws Exception {
        S3Destination tight = server.destination().bufferMemory(512 * 1024).spillDirectory(spill.toString()).build();
        byte[] data = S3TestBucket.randomBytes(17 * MIB + 5, 12);
        try (StorageSession session = files.session("spill", tight)) {
            RecoverableWriter writer = session.recoverableWriter();
            RecoverableFsDataOutputStream out = writer.open(files.target("spill", "part-i-0"));
            for (int offset = 0; offset < data.length; offset += 64 * 1024) {
                out.write(data, offset, Math.min(64 * 1024, data.length - offset));
            }
            out.persist();
            RecoverableWriter.CommitRecoverable pending = out.closeForCommit().getRecoverable();
            assertThat(session.commit(files.target("spill", "part-i-0"), pending, data.length)).isEqualTo(CommitOutcome.COMMITTED);
            assertThat(((S3StorageSession) session).bufferBytesInUse()).isZero();
        }
        assertThat(files.read("spill/part-i-0")).isEqualTo(data);
        try (var files = Files.list(spill)) {
            assertThat(files.toList()).as("spill files left").isEmpty();
        }
    }

    @Test
    void aMissingBucketGivesAClearError() throws Exception {
        StorageSession session = S3Storage.of(server.destination().build()).open(new Path("s3a://no-such-bucket/out"));
        assertThatThrownBy(session::checkWritable)
                .hasMessageContaining("'no-such-bucket'")
                .hasMessageContaining("does not exist")
                .hasMessageContaining("never creates");
        session.close();
        assertThat(server.client().listBuckets().buckets()).extracting(b -> b.name()).doesNotContain("no-such-bucket");
    }

    @Test
    void badCredentialsGiveAClearErrorWithoutTheSecret() throws Exception {
        String secret = "wrong-secret-must-not-appear";
        S3Destination wrong = server.destination()
                .credentials(S3Credentials.staticKeys("WRONGACCESSKEY", secret)).retries(1, java.time.Duration.ofMillis(1),
                        java.time.Duration.ofMillis(1)).build();
        StorageSession session = S3Storage.of(wrong).open(new Path("s3://" + BUCKET + "/out"));
        Throwable error = org.assertj.core.api.Assertions.catchThrowable(session::checkWritable);
        session.close();
        assertThat(error).hasMessageContaining(BUCKET).hasMessageContaining("denied");
        for (Throwable t = error; t != null; t = t.getCause()) {
            assertThat(String.valueOf(t.getMessage())).doesNotContain(secret);
        }
        assertThat(wrong.toString()).doesNotContain(secret).doesNotContain("WRONGACCESSKEY");
    }

    @Test
    void checkWritablePassesOnAWritableBucketAndLeavesNothing() throws Exception {
        try (StorageSession session = session("check")) {
            session.checkWritable();
        }
        assertThat(server.keys(BUCKET, "check/")).isEmpty();
    }

    @Test
    void committedObjectsCarryTheUploadToken() throws Exception {
        try (StorageSession session = session("token")) {
            RecoverableFsDataOutputStream out = session.recoverableWriter().open(files.target("token", "part-j-0"));
            out.write("x".getBytes());
            S3Recoverable pending = S3Recoverable.resolve(out.closeForCommit().getRecoverable());
            session.commit(files.target("token", "part-j-0"), pending, 1);
            assertThat(server.client().headObject(b -> b.bucket(BUCKET).key("token/part-j-0")).metadata())
                    .containsEntry(S3Operations.UPLOAD_TOKEN_METADATA, pending.token());
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(a, 0, a.length);
        out.write(b, 0, b.length);
        return out.toByteArray();
    }

    @SuppressWarnings("unused")
    private static boolean same(byte[] a, byte[] b) {
        return Arrays.equals(a, b);
    }
}
