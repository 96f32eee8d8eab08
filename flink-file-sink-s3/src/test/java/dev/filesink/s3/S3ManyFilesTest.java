package dev.filesink.s3;

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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The paths that matter when a checkpoint closes or persists many part files at once, against a real S3 server
 * (s3proxy): small files committed with one conditional PUT, the budget that bounds what travels in checkpoints, and
 * closing or persisting without waiting for each file's requests in turn.
 */
class S3ManyFilesTest {

    private static final String BUCKET = "many-files";
    private static final int KIB = 1024;
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

    @AfterEach
    void releaseHeldUploads() {
        server.faults().releaseUploads();
    }

    private S3Destination.Builder destination() {
        return server.destination().spillDirectory(spill.toString());
    }

    private static <T> T roundTrip(SimpleVersionedSerializer<T> serializer, T value) throws IOException {
        return serializer.deserialize(serializer.getVersion(), serializer.serialize(value));
    }

    @Test
    void smallFilesAreCommittedWithOnePutAndNoMultipartUpload() throws Exception {
        String prefix = "single-put";
        try (StorageSession session = files.session(prefix, destination().build())) {
            RecoverableWriter writer = session.recoverableWriter();
            List<byte[]> contents = new ArrayList<>();
            List<RecoverableWriter.CommitRecoverable> pending = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                byte[] content = S3TestBucket.randomBytes(100 * KIB + i, i);
                RecoverableFsDataOutputStream out = writer.open(files.target(prefix, "part-s-" + i));
                out.write(content);
                contents.add(content);
                pending.add(out.closeForCommit().getRecoverable());
            }
            // Closing started no upload and wrote nothing: the content is held for the checkpoint.
            assertThat(server.openUploads(BUCKET, prefix + "/")).isEmpty();
            assertThat(server.keys(BUCKET, prefix + "/")).isEmpty();
            assertThat(((S3StorageSession) session).inlineBytesReserved()).isEqualTo(30L * 100 * KIB + 435);

            // Once the checkpoint has the content, the writer's budget is free again.
            List<RecoverableWriter.CommitRecoverable> restored = new ArrayList<>();
            for (RecoverableWriter.CommitRecoverable recoverable : pending) {
                restored.add(roundTrip(writer.getCommitRecoverableSerializer(), recoverable));
            }
            assertThat(((S3StorageSession) session).inlineBytesReserved()).isZero();
            assertThat(S3Recoverable.resolve(restored.get(0)).hasUpload()).isFalse();

            for (int i = 0; i < 30; i++) {
                assertThat(session.commit(files.target(prefix, "part-s-" + i), restored.get(i), contents.get(i).length))
                        .isEqualTo(CommitOutcome.COMMITTED);
            }
            // A commit replayed after a restore finds its own object and leaves it.
            assertThat(session.commit(files.target(prefix, "part-s-3"), restored.get(3), contents.get(3).length))
                    .isEqualTo(CommitOutcome.ALREADY_COMMITTED);
            for (int i = 0; i < 30; i++) {
                assertThat(files.read(prefix + "/part-s-" + i)).isEqualTo(contents.get(i));
            }
            assertThat(server.keys(BUCKET, prefix + "/_filesink-staging/")).isEmpty();
        }
    }

    @Test
    void aSinglePutWhoseResponseWasLostIsRecognizedAsOurs() throws Exception {
        String prefix = "single-put-lost";
        try (StorageSession session = files.session(prefix, destination().build())) {
            byte[] content = S3TestBucket.randomBytes(200 * KIB, 42);
            RecoverableFsDataOutputStream out = session.recoverableWriter().open(files.target(prefix, "part-l-0"));
            out.write(content);
            RecoverableWriter.CommitRecoverable pending = out.closeForCommit().getRecoverable();
            server.faults().losePutResponses(prefix + "/part-l-0", 1);
            int lostBefore = server.faults().lostResponses();
            // The SDK retries the PUT, which now answers 412: the object there is ours (same content, same token).
            assertThat(session.commit(files.target(prefix, "part-l-0"), pending, content.length))
                    .isIn(CommitOutcome.COMMITTED, CommitOutcome.ALREADY_COMMITTED);
            assertThat(server.faults().lostResponses()).isEqualTo(lostBefore + 1);
            assertThat(files.read(prefix + "/part-l-0")).isEqualTo(content);
        }
    }

    @Test
    void aSinglePutNeverOverwritesAnObjectTheSinkDidNotWrite() throws Exception {
        String prefix = "single-put-conflict";
        server.put(BUCKET, prefix + "/part-c-0", "somebody else's");
        try (StorageSession session = files.session(prefix, destination().build())) {
            RecoverableFsDataOutputStream out = session.recoverableWriter().open(files.target(prefix, "part-c-0"));
            out.write(S3TestBucket.randomBytes(200 * KIB, 7));
            RecoverableWriter.CommitRecoverable pending = out.closeForCommit().getRecoverable();
            assertThatThrownBy(() -> session.commit(files.target(prefix, "part-c-0"), pending, 200 * KIB))
                    .isInstanceOf(CommitConflictException.class)
                    .hasMessageContaining(prefix + "/part-c-0");
        }
        assertThat(server.read(BUCKET, prefix + "/part-c-0")).isEqualTo("somebody else's");
    }

    @Test
    void filesBeyondTheSinglePutLimitOrTheBudgetUseMultipartUploads() throws Exception {
        String prefix = "over-budget";
        S3Destination tight = destination().singlePutLimit(150 * KIB).inlineBudget(250 * KIB).build();
        try (StorageSession session = files.session(prefix, tight)) {
            RecoverableWriter writer = session.recoverableWriter();
            int[] sizes = {100 * KIB, 200 * KIB, 100 * KIB, 100 * KIB};
            List<RecoverableWriter.CommitRecoverable> pending = new ArrayList<>();
            for (int i = 0; i < sizes.length; i++) {
                RecoverableFsDataOutputStream out = writer.open(files.target(prefix, "part-b-" + i));
                out.write(S3TestBucket.randomBytes(sizes[i], i));
                pending.add(out.closeForCommit().getRecoverable());
            }
            List<S3Recoverable> durable = new ArrayList<>();
            for (RecoverableWriter.CommitRecoverable recoverable : pending) {
                durable.add(S3Recoverable.resolve(recoverable));
            }
            // 100 KiB: one PUT. 200 KiB: over the limit. 100 KiB: one PUT (200 KiB of 250 reserved). 100 KiB: over
            // the budget, as the first two were not handed on yet.
            assertThat(durable).extracting(S3Recoverable::hasUpload).containsExactly(false, true, false, true);
            assertThat(((S3StorageSession) session).inlineBytesReserved()).isZero();
            for (int i = 0; i < sizes.length; i++) {
                assertThat(session.commit(files.target(prefix, "part-b-" + i), durable.get(i), sizes[i]))
                        .isEqualTo(CommitOutcome.COMMITTED);
                assertThat(files.read(prefix + "/part-b-" + i)).isEqualTo(S3TestBucket.randomBytes(sizes[i], i));
            }
        }
        assertThat(server.openUploads(BUCKET, prefix + "/")).isEmpty();
    }

    @Test
    void aFileThatOutgrowsASinglePutStartsItsUploadWhileItIsWritten() throws Exception {
        String prefix = "early-start";
        S3Destination destination = destination().singlePutLimit(64 * KIB).build();
        try (StorageSession session = files.session(prefix, destination)) {
            RecoverableFsDataOutputStream out = session.recoverableWriter().open(files.target(prefix, "part-e-0"));
            out.write(S3TestBucket.randomBytes(60 * KIB, 1));
            Thread.sleep(200);
            assertThat(server.openUploads(BUCKET, prefix + "/")).as("still a single-PUT candidate").isEmpty();
            out.write(S3TestBucket.randomBytes(60 * KIB, 2));
            // Far below a part, but past the single-PUT limit: the upload starts in the background now.
            waitUntil(() -> !server.openUploads(BUCKET, prefix + "/").isEmpty());
            String uploadId = server.openUploads(BUCKET, prefix + "/").get(0).uploadId();
            S3Recoverable closed = S3Recoverable.resolve(out.closeForCommit().getRecoverable());
            assertThat(closed.uploadId()).isEqualTo(uploadId);
            assertThat(session.commit(files.target(prefix, "part-e-0"), closed, 120 * KIB)).isEqualTo(CommitOutcome.COMMITTED);
        }
        byte[] expected = new byte[120 * KIB];
        System.arraycopy(S3TestBucket.randomBytes(60 * KIB, 1), 0, expected, 0, 60 * KIB);
        System.arraycopy(S3TestBucket.randomBytes(60 * KIB, 2), 0, expected, 60 * KIB, 60 * KIB);
        assertThat(files.read(prefix + "/part-e-0")).isEqualTo(expected);
        assertThat(server.openUploads(BUCKET, prefix + "/")).isEmpty();
    }

    @Test
    void anUploadStartedAfterTheCheckpointIsAbortedWhenTheFileResumes() throws Exception {
        String prefix = "early-start-restored";
        byte[] before = S3TestBucket.randomBytes(100 * KIB, 3);
        byte[] state;
        try (StorageSession failing = files.session(prefix, destination().build())) {
            RecoverableWriter writer = failing.recoverableWriter();
            RecoverableFsDataOutputStream out = writer.open(files.target(prefix, "part-r-0"));
            out.write(before);
            // The checkpoint: a small file without an upload.
            state = writer.getResumeRecoverableSerializer().serialize(out.persist());
            // After it, the file outgrows a single PUT and starts an upload that no checkpoint names; then the task fails.
            out.write(S3TestBucket.randomBytes(300 * KIB, 4));
            waitUntil(() -> !server.openUploads(BUCKET, prefix + "/").isEmpty());
            out.close();
        }
        try (StorageSession restarted = files.session(prefix, destination().build())) {
            RecoverableWriter writer = restarted.recoverableWriter();
            SimpleVersionedSerializer<RecoverableWriter.ResumeRecoverable> serializer = writer.getResumeRecoverableSerializer();
            RecoverableWriter.ResumeRecoverable restored = serializer.deserialize(serializer.getVersion(), state);
            RecoverableFsDataOutputStream out = writer.recover(restored);
            assertThat(server.openUploads(BUCKET, prefix + "/")).as("the failed attempt's upload").isEmpty();
            out.write("!".getBytes());
            RecoverableWriter.CommitRecoverable pending = out.closeForCommit().getRecoverable();
            assertThat(restarted.commit(files.target(prefix, "part-r-0"), pending, before.length + 1))
                    .isEqualTo(CommitOutcome.COMMITTED);
            writer.cleanupRecoverableState(restored);
        }
        byte[] expected = java.util.Arrays.copyOf(before, before.length + 1);
        expected[before.length] = '!';
        assertThat(files.read(prefix + "/part-r-0")).isEqualTo(expected);
        assertThat(server.openUploads(BUCKET, prefix + "/")).isEmpty();
        assertThat(server.keys(BUCKET, prefix + "/")).containsExactly(prefix + "/part-r-0");
    }

    @Test
    void aPersistRecordsAnUploadThatIsStillBeingStarted() throws Exception {
        String prefix = "early-start-persist";
        server.faults().holdUploads(prefix + "/");
        // Past the single-PUT limit, yet a tail small enough for the state: nothing else for persist() to wait for.
        S3Destination destination = destination().singlePutLimit(32 * KIB).build();
        try (StorageSession session = files.session(prefix, destination)) {
            RecoverableWriter writer = session.recoverableWriter();
            RecoverableFsDataOutputStream out = writer.open(files.target(prefix, "part-q-0"));
            RecoverableWriter.ResumeRecoverable persisted;
            try {
                out.write(S3TestBucket.randomBytes(50 * KIB, 5));
                waitUntil(() -> server.faults().heldUploads() >= 1); // the upload's start is on its way
                persisted = out.persist();
            } finally {
                server.faults().releaseUploads();
            }
            S3Recoverable state = S3Recoverable.resolve(persisted);
            assertThat(state.uploadId()).as("the state names the upload started before it").isNotNull()
                    .isEqualTo(server.openUploads(BUCKET, prefix + "/").get(0).uploadId());
            out.close();
            // Clean up: the upload belongs to a file abandoned here.
            session.discardOrphans(name -> true);
        }
        assertThat(server.openUploads(BUCKET, prefix + "/")).isEmpty();
    }

    @Test
    void aZeroBudgetKeepsEveryByteOutOfTheCheckpoint() throws Exception {
        String prefix = "no-budget";
        S3Destination none = destination().inlineBudget(0).build();
        try (StorageSession session = files.session(prefix, none)) {
            RecoverableWriter writer = session.recoverableWriter();
            RecoverableFsDataOutputStream out = writer.open(files.target(prefix, "part-z-0"));
            out.write("tiny tail".getBytes());
            S3Recoverable persisted = S3Recoverable.resolve(out.persist());
            assertThat(persisted.inlineTail()).isNull();
            assertThat(persisted.stagingKey()).isNotNull();
            out.write(" and more".getBytes());
            S3Recoverable closed = S3Recoverable.resolve(out.closeForCommit().getRecoverable());
            assertThat(closed.hasUpload()).isTrue();
            assertThat(closed.inlineTail()).isNull();
            assertThat(session.commit(files.target(prefix, "part-z-0"), closed, 18)).isEqualTo(CommitOutcome.COMMITTED);
            writer.cleanupRecoverableState(persisted);
        }
        assertThat(server.read(BUCKET, prefix + "/part-z-0")).isEqualTo("tiny tail and more");
        assertThat(server.keys(BUCKET, prefix + "/")).containsExactly(prefix + "/part-z-0");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void closingManyFilesDoesNotWaitForTheirUploads() throws Exception {
        String prefix = "close-wide";
        // One part thread and no queue: closing would block at the second file if last parts went that lane.
        S3Destination narrow = destination().singlePutLimit(0).uploadThreads(1).maxQueuedParts(0).requestThreads(8).build();
        server.faults().holdUploads(prefix + "/");
        try (StorageSession session = files.session(prefix, narrow)) {
            RecoverableWriter writer = session.recoverableWriter();
            List<RecoverableWriter.CommitRecoverable> pending = new ArrayList<>();
            try {
                for (int i = 0; i < 40; i++) {
                    RecoverableFsDataOutputStream out = writer.open(files.target(prefix, "part-w-" + i));
                    out.write(S3TestBucket.randomBytes(10 * KIB, i));
                    pending.add(out.closeForCommit().getRecoverable());
                }
                // Every file is closed while the server still holds the first requests, several at once.
                waitUntil(() -> server.faults().heldUploads() >= 2);
                assertThat(pending).allSatisfy(p -> assertThat(p.toString()).contains("uploading"));
                assertThat(server.keys(BUCKET, prefix + "/")).isEmpty();
            } finally {
                server.faults().releaseUploads();
            }
            for (int i = 0; i < 40; i++) {
                S3Recoverable durable = S3Recoverable.resolve(pending.get(i));
                assertThat(durable.hasUpload()).isTrue();
                assertThat(session.commit(files.target(prefix, "part-w-" + i), durable, 10 * KIB))
                        .isEqualTo(CommitOutcome.COMMITTED);
            }
        }
        for (int i = 0; i < 40; i++) {
            assertThat(files.read(prefix + "/part-w-" + i)).isEqualTo(S3TestBucket.randomBytes(10 * KIB, i));
        }
        assertThat(server.openUploads(BUCKET, prefix + "/")).isEmpty();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void persistStagesTailsInTheBackgroundAndTheStateWaitsForThem() throws Exception {
        String prefix = "persist-wide";
        server.faults().holdUploads("_filesink-staging/");
        List<byte[]> tails = new ArrayList<>();
        List<byte[]> states = new ArrayList<>();
        try (StorageSession session = files.session(prefix, destination().build())) {
            RecoverableWriter writer = session.recoverableWriter();
            List<RecoverableFsDataOutputStream> open = new ArrayList<>();
            List<RecoverableWriter.ResumeRecoverable> persisted = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                RecoverableFsDataOutputStream out = writer.open(files.target(prefix, "part-p-" + i));
                byte[] tail = S3TestBucket.randomBytes(100 * KIB, 100 + i); // above the 64 KiB inline limit: a staging object
                out.write(tail);
                tails.add(tail);
                open.add(out);
                persisted.add(out.persist());
            }
            try {
                // Every persist returned while the server still holds the staging PUTs.
                waitUntil(() -> server.faults().heldUploads() >= 16);
                assertThat(server.keys(BUCKET, prefix + "/_filesink-staging/")).isEmpty();
                // Writing goes on meanwhile; the staged copy is what was there at persist().
                for (RecoverableFsDataOutputStream out : open) {
                    out.write("written after the checkpoint".getBytes());
                }
            } finally {
                server.faults().releaseUploads();
            }
            for (RecoverableWriter.ResumeRecoverable resumable : persisted) {
                states.add(writer.getResumeRecoverableSerializer().serialize(resumable));
            }
            assertThat(server.keys(BUCKET, prefix + "/_filesink-staging/")).hasSize(20);
            for (RecoverableFsDataOutputStream out : open) {
                out.close();
            }
        }
        // The task fails; a new attempt resumes every file from its state and finishes it.
        try (StorageSession session = files.session(prefix, destination().build())) {
            RecoverableWriter writer = session.recoverableWriter();
            SimpleVersionedSerializer<RecoverableWriter.ResumeRecoverable> serializer =
                    writer.getResumeRecoverableSerializer();
            for (int i = 0; i < 20; i++) {
                RecoverableWriter.ResumeRecoverable restored = serializer.deserialize(serializer.getVersion(), states.get(i));
                RecoverableFsDataOutputStream out = writer.recover(restored);
                out.write("!".getBytes());
                RecoverableWriter.CommitRecoverable pending = out.closeForCommit().getRecoverable();
                assertThat(session.commit(files.target(prefix, "part-p-" + i), pending, 100 * KIB + 1))
                        .isEqualTo(CommitOutcome.COMMITTED);
                writer.cleanupRecoverableState(restored);
            }
        }
        for (int i = 0; i < 20; i++) {
            byte[] expected = java.util.Arrays.copyOf(tails.get(i), 100 * KIB + 1);
            expected[100 * KIB] = '!';
            assertThat(files.read(prefix + "/part-p-" + i)).isEqualTo(expected);
        }
        assertThat(server.keys(BUCKET, prefix + "/_filesink-staging/")).isEmpty();
        assertThat(server.openUploads(BUCKET, prefix + "/")).isEmpty();
    }

    @Test
    void aFailedStagingPutFailsTheCheckpointNotTheWrites() throws Exception {
        String prefix = "persist-fails";
        S3Destination noRetries = destination().retries(1, java.time.Duration.ofMillis(1), java.time.Duration.ofMillis(1))
                .build();
        try (StorageSession session = files.session(prefix, noRetries)) {
            RecoverableWriter writer = session.recoverableWriter();
            RecoverableFsDataOutputStream out = writer.open(files.target(prefix, "part-f-0"));
            out.write(S3TestBucket.randomBytes(100 * KIB, 5));
            server.faults().failPuts(prefix + "/_filesink-staging/", 1);
            RecoverableWriter.ResumeRecoverable persisted = out.persist();
            assertThatThrownBy(() -> writer.getResumeRecoverableSerializer().serialize(persisted))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining(prefix + "/part-f-0");
            out.close();
        }
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 30 s");
            }
            Thread.sleep(10);
        }
    }
}
