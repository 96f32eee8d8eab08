package dev.filesink.writer;

import dev.filesink.bucket.BucketState;
import dev.filesink.bucket.InProgressFileState;
import dev.filesink.committer.FileSinkCommittable;
import dev.filesink.committer.FileSinkCommittableSerializer;
import dev.filesink.partitioncommit.WriterProgress;
import dev.filesink.storage.FileSystemStorage;
import dev.filesink.storage.RecoverableSerializers;
import dev.filesink.testing.GoldenFiles;

import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.RecoverableFsDataOutputStream;
import org.apache.flink.core.fs.RecoverableWriter;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * State and committables written by version 1 of the serializers are checked into test resources and must keep
 * restoring; a missing one fails (see {@link GoldenFiles}).
 */
class SerializerCompatibilityTest {

    private static final java.nio.file.Path RESOURCES = java.nio.file.Path.of("src/test/resources/serialized");
    private static final Path BASE = new Path("file:///tmp/filesink-serializer-fixture");

    private final RecoverableSerializers serializers = new RecoverableSerializers(FileSystemStorage.INSTANCE, BASE);

    @Test
    void writerStateOfVersion1StillRestores() throws Exception {
        FileWriterStateSerializer serializer = new FileWriterStateSerializer(serializers);
        byte[] bytes = golden("writer-state-v1.bin", () -> serializer.serialize(fixtureState()));

        FileWriterState state = serializer.deserialize(1, bytes);

        assertThat(state.uid()).isEqualTo("6f1c2f4e-0000-4000-8000-000000000001");
        assertThat(state.nextCounter()).isEqualTo(42);
        assertThat(state.buckets()).hasSize(2);
        BucketState open = state.buckets().get(0);
        assertThat(open.bucketId()).isEqualTo("2026-11-24--10");
        assertThat(open.bucketPath()).isEqualTo(new Path(BASE, "2026-11-24--10"));
        InProgressFileState file = open.inProgress();
        assertThat(file.target()).isEqualTo(new Path(BASE, "2026-11-24--10/part-u-41"));
        assertThat(file.creationTime()).isEqualTo(1_764_000_000_000L);
        assertThat(file.size()).isEqualTo(6);
        assertThat(file.recordCount()).isEqualTo(1);
        assertThat(file.resumable().toString()).contains("part-u-41");
        assertThat(state.buckets().get(1).inProgress()).isNull();
        assertThat(serializer.serialize(state)).isEqualTo(bytes);
    }

    @Test
    void committablesOfVersion1StillRestore() throws Exception {
        FileSinkCommittableSerializer serializer = new FileSinkCommittableSerializer(serializers);
        // Written by version 1 of the serializer (before partition commit); today's writes version 2.
        byte[] pendingBytes = GoldenFiles.readFromOlderRelease(RESOURCES, "committable-pending-v1.bin");
        byte[] cleanupBytes = GoldenFiles.readFromOlderRelease(RESOURCES, "committable-cleanup-v1.bin");

        FileSinkCommittable pending = serializer.deserialize(1, pendingBytes);
        assertThat(pending.hasPendingFile()).isTrue();
        assertThat(pending.bucketId()).isEqualTo("2026-11-24--10");
        assertThat(pending.target()).isEqualTo(new Path(BASE, "2026-11-24--10/part-u-40"));
        assertThat(pending.size()).isEqualTo(6);
        assertThat(pending.recordCount()).isEqualTo(1);
        assertThat(pending.pendingFile().toString()).contains("part-u-40");
        assertThat(pending.minEventTime()).isEqualTo(FileSinkCommittable.NO_EVENT_TIME);

        FileSinkCommittable cleanup = serializer.deserialize(1, cleanupBytes);
        assertThat(cleanup.hasPendingFile()).isFalse();
        assertThat(cleanup.resumableToCleanup()).isNotNull();
    }

    @Test
    void committablesOfVersion2StillRestore() throws Exception {
        FileSinkCommittableSerializer serializer = new FileSinkCommittableSerializer(serializers);
        assertThat(serializer.getVersion()).isEqualTo(2);
        byte[] pendingBytes = golden("committable-pending-v2.bin",
                () -> serializer.serialize(fixturePending().withEventTimes(1_764_000_000_000L, 1_764_000_001_000L)));
        byte[] progressBytes = golden("committable-progress-v2.bin", () -> serializer.serialize(fixtureProgress()));

        FileSinkCommittable pending = serializer.deserialize(2, pendingBytes);
        assertThat(pending.target()).isEqualTo(new Path(BASE, "2026-11-24--10/part-u-40"));
        assertThat(pending.recordCount()).isEqualTo(1);
        assertThat(pending.minEventTime()).isEqualTo(1_764_000_000_000L);
        assertThat(pending.maxEventTime()).isEqualTo(1_764_000_001_000L);
        assertThat(serializer.serialize(pending)).isEqualTo(pendingBytes);

        FileSinkCommittable progress = serializer.deserialize(2, progressBytes);
        assertThat(progress.isProgress()).isTrue();
        assertThat(progress.progress()).isEqualTo(fixtureProgress().progress());
        assertThat(serializer.serialize(progress)).isEqualTo(progressBytes);
    }

    private static FileSinkCommittable fixtureProgress() {
        return FileSinkCommittable.progress(new WriterProgress(1, 3, 1_764_000_000_000L,
                Set.of("2026-11-24--10"), Set.of("2026-11-24--10", "2026-11-24--09"), false));
    }

    private FileWriterState fixtureState() throws IOException {
        Path target = new Path(BASE, "2026-11-24--10/part-u-41");
        RecoverableWriter.ResumeRecoverable resumable = open(target).persist();
        return new FileWriterState("6f1c2f4e-0000-4000-8000-000000000001", 42, List.of(
                new BucketState("2026-11-24--10", new Path(BASE, "2026-11-24--10"),
                        new InProgressFileState(target, resumable, 1_764_000_000_000L, 6, 1)),
                new BucketState("2026-11-24--09", new Path(BASE, "2026-11-24--09"), null)));
    }

    private FileSinkCommittable fixturePending() throws IOException {
        Path target = new Path(BASE, "2026-11-24--10/part-u-40");
        return FileSinkCommittable.pendingFile(
                "2026-11-24--10", target, open(target).closeForCommit().getRecoverable(), 6, 1);
    }

    private FileSinkCommittable fixtureCleanup() throws IOException {
        Path target = new Path(BASE, "2026-11-24--10/part-u-39");
        return FileSinkCommittable.cleanup("2026-11-24--10", new Path(BASE, "2026-11-24--10"), open(target).persist());
    }

    private RecoverableFsDataOutputStream open(Path target) throws IOException {
        RecoverableFsDataOutputStream out = FileSystemStorage.INSTANCE.open(BASE).recoverableWriter().open(target);
        out.write("hello\n".getBytes(StandardCharsets.UTF_8));
        return out;
    }

    private static byte[] golden(String name, GoldenFiles.BytesSupplier fresh) throws Exception {
        return GoldenFiles.read(RESOURCES, name, fresh);
    }
}
