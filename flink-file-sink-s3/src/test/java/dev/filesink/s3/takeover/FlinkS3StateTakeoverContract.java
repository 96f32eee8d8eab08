package dev.filesink.s3.takeover;

import dev.filesink.FileSink;
import dev.filesink.bucket.BucketState;
import dev.filesink.bucket.InProgressFileState;
import dev.filesink.committer.FileSinkCommittable;
import dev.filesink.s3.S3Storage;
import dev.filesink.s3.testing.FlinkS3Plugin;
import dev.filesink.s3.testing.S3Server;
import dev.filesink.s3.testing.S3TestBucket;
import dev.filesink.storage.CommitConflictException;
import dev.filesink.storage.CommitOutcome;
import dev.filesink.storage.StorageSession;
import dev.filesink.writer.FileWriterState;

import org.apache.flink.api.common.serialization.SimpleStringEncoder;
import org.apache.flink.connector.file.sink.writer.FileWriterBucketState;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.RecoverableFsDataOutputStream;
import org.apache.flink.core.fs.RecoverableWriter;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputStreamBasedPartFileWriter.OutputStreamBasedInProgressFileRecoverable;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputStreamBasedPartFileWriter.OutputStreamBasedPendingFileRecoverable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Golden state on S3: part files written, persisted and closed by one of Flink's own S3 file systems (loaded as a
 * plugin; each subclass names one) and state bytes written by Flink 2.3's own FileSink serializers
 * restore in ours, on the same server (s3proxy): Flink's upload is continued or completed, its tail object taken
 * over and deleted, and at the end the whole prefix holds nothing but the final objects.
 */
abstract class FlinkS3StateTakeoverContract {

    static final String BUCKET_NAME = "flink-takeover";
    static final String BUCKET_ID = "2026-12-04--11";
    static final int MIB = 1024 * 1024;
    static S3Server server;
    static FlinkS3Plugin flinkS3;

    private final String prefix = "golden-" + UUID.randomUUID().toString().substring(0, 8);
    final String flinkUid = UUID.randomUUID().toString();

    static void start(java.util.function.Function<S3Server, FlinkS3Plugin> plugin) throws Exception {
        server = S3Server.start();
        server.createBucket(BUCKET_NAME);
        flinkS3 = plugin.apply(server);
    }

    @AfterAll
    static void stop() throws Exception {
        flinkS3.close();
        server.close();
    }

    @Test
    void anInProgressFileWithPartsAndATailResumesAtItsPersistedLength() throws Exception {
        Path target = target("part-" + flinkUid + "-3");
        byte[] firstPart = S3TestBucket.randomBytes(5 * MIB + 1000, 1);
        RecoverableFsDataOutputStream stream = flinkWriter().open(target);
        stream.write(firstPart);
        stream.write(bytes("tail before the checkpoint\n"));
        RecoverableWriter.ResumeRecoverable resumable = stream.persist();
        stream.write(bytes("written after the checkpoint\n"));
        stream.persist(); // a later persist's tail object, which no restored state names
        abandon(stream);
        assertThat(flinkTails()).as("Flink's two tail objects").hasSize(2);

        byte[] state = flinkWriterStates().serialize(new FileWriterBucketState(
                BUCKET_ID, bucketPath(), 1_764_000_000_000L, new OutputStreamBasedInProgressFileRecoverable(resumable, target)));
        FileWriterState restored = ourWriterStates().deserialize(flinkWriterStates().getVersion(), state);

        assertThat(restored.uid()).isEqualTo(flinkUid);
        assertThat(restored.nextCounter()).isEqualTo(4);
        BucketState bucket = restored.buckets().get(0);
        InProgressFileState file = bucket.inProgress();
        assertThat(file.target()).isEqualTo(target);
        long persisted = firstPart.length + "tail before the checkpoint\n".length();
        assertThat(file.size()).isEqualTo(persisted);

        try (StorageSession session = ourSession()) {
            RecoverableWriter writer = session.recoverableWriter();
            RecoverableFsDataOutputStream resumed = writer.recover(file.resumable());
            assertThat(resumed.getPos()).isEqualTo(persisted);
            assertThat(flinkTails()).as("the later persist's tail is gone, the restored one is kept").hasSize(1);
            resumed.write(bytes("written by ours\n"));
            RecoverableWriter.CommitRecoverable pending = resumed.closeForCommit().getRecoverable();
            // What the committer does once a checkpoint of ours superseded the restored state.
            writer.cleanupRecoverableState(file.resumable());
            // The pending file goes through our own state format before the commit, as in a job.
            byte[] ours = writer.getCommitRecoverableSerializer().serialize(pending);
            RecoverableWriter.CommitRecoverable fromOurState =
                    writer.getCommitRecoverableSerializer().deserialize(1, ours);
            assertThat(session.commit(target, fromOurState, persisted + 16)).isEqualTo(CommitOutcome.COMMITTED);
        }
        assertThat(read(target)).isEqualTo(concat(firstPart, bytes("tail before the checkpoint\nwritten by ours\n")));
        assertOnlyFinalObjects(target);
    }

    @Test
    void aPendingFileOfFlinksSinkIsCommittedExactlyOnceAndAReplayChangesNothing() throws Exception {
        Path target = target("part-" + flinkUid + "-2");
        byte[] content = S3TestBucket.randomBytes(6 * MIB, 2);
        RecoverableFsDataOutputStream stream = flinkWriter().open(target);
        stream.write(content);
        RecoverableWriter.CommitRecoverable recoverable = stream.closeForCommit().getRecoverable();

        byte[] state = flinkCommittables().serialize(new org.apache.flink.connector.file.sink.FileSinkCommittable(
                BUCKET_ID, new OutputStreamBasedPendingFileRecoverable(recoverable, target, content.length)));
        FileSinkCommittable committable = ourCommittables().deserialize(flinkCommittables().getVersion(), state);
        assertThat(committable.target()).isEqualTo(target);
        assertThat(committable.size()).isEqualTo(content.length);

        try (StorageSession session = ourSession()) {
            assertThat(session.commit(target, committable.pendingFile(), committable.size()))
                    .isEqualTo(CommitOutcome.COMMITTED);
            // A restore replays the committable. (s3proxy answers a repeated completion of the same upload with
            // success, as S3 may: either answer is fine as long as the object is unchanged.)
            FileSinkCommittable replayed = ourCommittables().deserialize(flinkCommittables().getVersion(), state);
            assertThat(session.commit(target, replayed.pendingFile(), replayed.size()))
                    .isIn(CommitOutcome.COMMITTED, CommitOutcome.ALREADY_COMMITTED);
        }
        try (StorageSession lookFirst = ourSession(false)) {
            // Without conditional writes the committer looks first: Flink's upload carries no token of ours, and
            // the object is recognized by the multipart ETag of the parts Flink's state names.
            FileSinkCommittable replayed = ourCommittables().deserialize(flinkCommittables().getVersion(), state);
            assertThat(lookFirst.commit(target, replayed.pendingFile(), replayed.size()))
                    .isEqualTo(CommitOutcome.ALREADY_COMMITTED);
        }
        assertThat(read(target)).isEqualTo(content);
        assertOnlyFinalObjects(target);
    }

    @Test
    void aPendingFileThatFlinksCommitterCommittedBeforeTheSavepointIsRecognized() throws Exception {
        Path target = target("part-" + flinkUid + "-1");
        byte[] content = S3TestBucket.randomBytes(5 * MIB + 17, 3);
        RecoverableFsDataOutputStream stream = flinkWriter().open(target);
        stream.write(content);
        RecoverableWriter.CommitRecoverable recoverable = stream.closeForCommit().getRecoverable();
        byte[] state = flinkCommittables().serialize(new org.apache.flink.connector.file.sink.FileSinkCommittable(
                BUCKET_ID, new OutputStreamBasedPendingFileRecoverable(recoverable, target, content.length)));
        flinkWriter().recoverForCommit(recoverable).commit(); // Flink's committer, on the savepoint's completion

        FileSinkCommittable committable = ourCommittables().deserialize(flinkCommittables().getVersion(), state);
        try (StorageSession lookFirst = ourSession(false)) {
            assertThat(lookFirst.commit(target, committable.pendingFile(), committable.size()))
                    .isEqualTo(CommitOutcome.ALREADY_COMMITTED);
        }
        try (StorageSession session = ourSession()) {
            // The upload is gone: S3 answers 404 (s3proxy, as S3 may, success); the object is kept either way.
            assertThat(session.commit(target, committable.pendingFile(), committable.size()))
                    .isIn(CommitOutcome.COMMITTED, CommitOutcome.ALREADY_COMMITTED);
        }
        assertThat(read(target)).isEqualTo(content);
        assertOnlyFinalObjects(target);
    }

    @Test
    void anObjectThatFlinksUploadDidNotWriteIsAConflictLeftUnchanged() throws Exception {
        Path target = target("part-" + flinkUid + "-6");
        RecoverableFsDataOutputStream stream = flinkWriter().open(target);
        stream.write(S3TestBucket.randomBytes(5 * MIB + 5, 4));
        RecoverableWriter.CommitRecoverable recoverable = stream.closeForCommit().getRecoverable();
        byte[] state = flinkCommittables().serialize(new org.apache.flink.connector.file.sink.FileSinkCommittable(
                BUCKET_ID, new OutputStreamBasedPendingFileRecoverable(recoverable, target, 5 * MIB + 5)));
        server.put(BUCKET_NAME, key(target), "placed by hand\n");

        FileSinkCommittable committable = ourCommittables().deserialize(flinkCommittables().getVersion(), state);
        try (StorageSession session = ourSession()) {
            assertThatThrownBy(() -> session.commit(target, committable.pendingFile(), committable.size()))
                    .isInstanceOf(CommitConflictException.class)
                    .hasMessageContaining("s3://" + BUCKET_NAME + "/" + key(target));
        }
        assertThat(server.read(BUCKET_NAME, key(target))).isEqualTo("placed by hand\n");
    }

    @Test
    void anInProgressFileToCleanUpDeletesFlinksTailObject() throws Exception {
        Path target = target("part-" + flinkUid + "-5");
        RecoverableFsDataOutputStream stream = flinkWriter().open(target);
        stream.write(bytes("x\n"));
        RecoverableWriter.ResumeRecoverable resumable = stream.persist();
        stream.write(bytes("y\n"));
        RecoverableWriter.CommitRecoverable closed = stream.closeForCommit().getRecoverable();
        byte[] state = flinkCommittables().serialize(new org.apache.flink.connector.file.sink.FileSinkCommittable(
                BUCKET_ID, new OutputStreamBasedInProgressFileRecoverable(resumable, target)));
        assertThat(flinkTails()).hasSize(1);

        FileSinkCommittable committable = ourCommittables().deserialize(flinkCommittables().getVersion(), state);
        assertThat(committable.hasPendingFile()).isFalse();
        try (StorageSession session = ourSession()) {
            session.recoverableWriter().cleanupRecoverableState(committable.resumableToCleanup());
        }
        assertThat(flinkTails()).isEmpty();
        flinkWriter().recoverForCommit(closed).commit();
        assertOnlyFinalObjects(target);
    }

    @Test
    void anInProgressFileWhoseUploadIsGoneFailsAtRestoreNamingTheBucketTheFileAndWhatToDo() throws Exception {
        Path target = target("part-" + flinkUid + "-7");
        RecoverableFsDataOutputStream stream = flinkWriter().open(target);
        stream.write(S3TestBucket.randomBytes(5 * MIB + 10, 5));
        RecoverableWriter.ResumeRecoverable resumable = stream.persist();
        abandon(stream);
        byte[] state = flinkWriterStates().serialize(new FileWriterBucketState(
                BUCKET_ID, bucketPath(), 0L, new OutputStreamBasedInProgressFileRecoverable(resumable, target)));
        String uploadId = server.openUploads(BUCKET_NAME, key(target)).get(0).uploadId();
        server.client().abortMultipartUpload(b -> b.bucket(BUCKET_NAME).key(key(target)).uploadId(uploadId));

        FileWriterState restored = ourWriterStates().deserialize(flinkWriterStates().getVersion(), state);
        try (StorageSession session = ourSession()) {
            assertThatThrownBy(() -> session.recoverableWriter().recover(restored.buckets().get(0).inProgress().resumable()))
                    .hasMessageContaining("s3://" + BUCKET_NAME + "/" + key(target))
                    .hasMessageContaining(uploadId)
                    .hasMessageContaining("flink stop --drain");
        }
    }

    @Test
    void filesFlinkOpenedAfterTheCheckpointAreDiscardedWithTheirTailObjects() throws Exception {
        Path orphan = target("part-" + flinkUid + "-9");
        RecoverableFsDataOutputStream stream = flinkWriter().open(orphan);
        stream.write(bytes("opened after the checkpoint\n"));
        stream.persist();
        abandon(stream);
        Path other = target("part-" + flinkUid + "-8");
        RecoverableFsDataOutputStream kept = flinkWriter().open(other);
        kept.write(bytes("restored\n"));
        kept.persist();
        abandon(kept);

        try (StorageSession session = ourSession()) {
            assertThat(session.discardOrphans(name -> name.equals(orphan.getName()))).isEqualTo(1);
        }
        assertThat(server.openUploads(BUCKET_NAME, key(orphan))).isEmpty();
        assertThat(flinkTails()).noneMatch(key -> key.contains(orphan.getName()));
        assertThat(flinkTails()).anyMatch(key -> key.contains(other.getName()));
        assertThat(server.openUploads(BUCKET_NAME, key(other))).hasSize(1);
    }

    // --------------------------------------------------------------------------------------------------------------

    private Path base() {
        return new Path("s3://" + BUCKET_NAME + "/" + prefix);
    }

    Path bucketPath() {
        return new Path(base(), BUCKET_ID);
    }

    Path target(String name) {
        return new Path(bucketPath(), name);
    }

    static String key(Path target) {
        return target.toUri().getPath().substring(1);
    }

    RecoverableWriter flinkWriter() throws IOException {
        return base().getFileSystem().createRecoverableWriter();
    }

    private org.apache.flink.connector.file.sink.FileSink<String> flinkSink() {
        return org.apache.flink.connector.file.sink.FileSink.forRowFormat(base(), new SimpleStringEncoder<String>())
                .build();
    }

    SimpleVersionedSerializer<FileWriterBucketState> flinkWriterStates() throws IOException {
        return flinkSink().getWriterStateSerializer();
    }

    private SimpleVersionedSerializer<org.apache.flink.connector.file.sink.FileSinkCommittable> flinkCommittables()
            throws IOException {
        return flinkSink().getCommittableSerializer();
    }

    private FileSink<String> ourSink() {
        return FileSink.forRowFormat(base(), new SimpleStringEncoder<String>())
                .withStorage(S3Storage.of(server.destination().build()))
                .build();
    }

    SimpleVersionedSerializer<FileWriterState> ourWriterStates() {
        return ourSink().getWriterStateSerializer();
    }

    private SimpleVersionedSerializer<FileSinkCommittable> ourCommittables() {
        return ourSink().getCommittableSerializer();
    }

    StorageSession ourSession() throws IOException {
        return ourSession(true);
    }

    private StorageSession ourSession(boolean conditionalWrites) throws IOException {
        return S3Storage.of(server.destination().conditionalWrites(conditionalWrites).build()).open(base());
    }

    /** Flink's tail objects: {@code _<name>_tmp_<uuid>} (hadoop) or {@code <key>/.incomplete/...} (native). */
    private List<String> flinkTails() {
        return server.keys(BUCKET_NAME, prefix + "/").stream()
                .filter(key -> key.contains("_tmp_") || key.contains("/.incomplete/")).toList();
    }

    /** The whole prefix (staging folder included) holds the final object alone, and no upload is open. */
    private void assertOnlyFinalObjects(Path... finals) {
        assertThat(server.keys(BUCKET_NAME, prefix + "/"))
                .containsExactlyInAnyOrderElementsOf(java.util.Arrays.stream(finals).map(FlinkS3StateTakeoverContract::key).toList());
        assertThat(server.openUploads(BUCKET_NAME, prefix + "/")).isEmpty();
    }

    private static byte[] read(Path target) {
        return server.client().getObjectAsBytes(b -> b.bucket(BUCKET_NAME).key(key(target))).asByteArray();
    }

    /**
     * Leaves a stream of Flink's as a crash does, without closing it: {@code flink-s3-fs-native} aborts the file's
     * multipart upload on {@code close()} (see {@link NativeS3FlinkStateTakeoverTest}).
     */
    private static void abandon(RecoverableFsDataOutputStream stream) {}

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(a);
        out.writeBytes(b);
        return out.toByteArray();
    }
}
