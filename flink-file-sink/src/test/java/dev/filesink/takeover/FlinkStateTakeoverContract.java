package dev.filesink.takeover;

import dev.filesink.FileSink;
import dev.filesink.bucket.BucketState;
import dev.filesink.bucket.InProgressFileState;
import dev.filesink.committer.FileSinkCommittable;
import dev.filesink.storage.CommitOutcome;
import dev.filesink.storage.FileSystemStorage;
import dev.filesink.storage.StorageSession;
import dev.filesink.metrics.SinkMetrics;
import dev.filesink.partfile.PendingPartFile;
import dev.filesink.writer.FileWriter;
import dev.filesink.writer.FileWriterState;
import dev.filesink.writer.WriterIdentity;

import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.common.operators.ProcessingTimeService.ProcessingTimeCallback;
import org.apache.flink.api.common.serialization.SimpleStringEncoder;
import org.apache.flink.connector.file.sink.writer.FileWriterBucketState;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.RecoverableFsDataOutputStream;
import org.apache.flink.core.fs.RecoverableWriter;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.runtime.metrics.groups.InternalSinkWriterMetricGroup;
import org.apache.flink.runtime.metrics.groups.UnregisteredMetricGroups;
import org.apache.flink.streaming.api.functions.sink.filesystem.LegacyBucketStates;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputStreamBasedPartFileWriter.OutputStreamBasedInProgressFileRecoverable;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputStreamBasedPartFileWriter.OutputStreamBasedPendingFileRecoverable;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Golden state: bytes written by Flink 2.3's own FileSink serializers (with its real recoverable writer) restore in
 * ours, and what they describe resumes or commits through our storage. Each subclass supplies a file system.
 */
abstract class FlinkStateTakeoverContract {

    private static final String BUCKET = "2026-12-04--10";

    /** A fresh, empty base path on the file system under test. */
    protected abstract Path basePath() throws Exception;

    private final String flinkUid = UUID.randomUUID().toString();

    @Test
    void anInProgressFileOfFlinksSinkResumesAtItsPersistedLength() throws Exception {
        Path base = basePath();
        Path bucketPath = new Path(base, BUCKET);
        Path target = new Path(bucketPath, "part-" + flinkUid + "-3");
        RecoverableFsDataOutputStream stream = flinkWriter(base).open(target);
        write(stream, "one\n");
        RecoverableWriter.ResumeRecoverable resumable = stream.persist();
        write(stream, "written after the checkpoint\n");
        stream.close();

        byte[] bytes = flinkWriterStates(base).serialize(new FileWriterBucketState(
                BUCKET, bucketPath, 1_764_000_000_000L, new OutputStreamBasedInProgressFileRecoverable(resumable, target)));
        FileWriterState state = ourWriterStates(base).deserialize(flinkWriterStates(base).getVersion(), bytes);

        assertThat(state.uid()).isEqualTo(flinkUid);
        assertThat(state.nextCounter()).as("files of this uid from 4 on were opened after the checkpoint").isEqualTo(4);
        assertThat(state.buckets()).hasSize(1);
        BucketState bucket = state.buckets().get(0);
        assertThat(bucket.bucketId()).isEqualTo(BUCKET);
        assertThat(bucket.bucketPath()).isEqualTo(bucketPath);
        assertThat(bucket.pendingFiles()).isEmpty();
        InProgressFileState file = bucket.inProgress();
        assertThat(file.target()).isEqualTo(target);
        assertThat(file.creationTime()).isEqualTo(1_764_000_000_000L);
        assertThat(file.size()).isEqualTo(4);

        try (StorageSession session = FileSystemStorage.INSTANCE.open(base)) {
            RecoverableFsDataOutputStream resumed = session.recoverableWriter().recover(file.resumable());
            assertThat(resumed.getPos()).isEqualTo(4);
            write(resumed, "two\n");
            RecoverableWriter.CommitRecoverable pending = resumed.closeForCommit().getRecoverable();
            assertThat(session.commit(target, pending, 8)).isEqualTo(CommitOutcome.COMMITTED);
        }
        assertThat(read(target)).isEqualTo("one\ntwo\n");
        assertThat(hiddenFiles(bucketPath)).isEmpty();
    }

    @Test
    void aBucketWithoutAnInProgressFileClaimsNoOrphans() throws Exception {
        Path base = basePath();
        Path bucketPath = new Path(base, BUCKET);
        byte[] bytes = flinkWriterStates(base).serialize(
                new FileWriterBucketState(BUCKET, bucketPath, Long.MAX_VALUE, null));

        FileWriterState state = ourWriterStates(base).deserialize(flinkWriterStates(base).getVersion(), bytes);

        assertThat(state.nextCounter()).isEqualTo(Long.MAX_VALUE);
        assertThat(state.buckets()).singleElement().satisfies(bucket -> {
            assertThat(bucket.bucketId()).isEqualTo(BUCKET);
            assertThat(bucket.inProgress()).isNull();
        });
    }

    @Test
    void aPendingFileOfFlinksSinkIsCommittedExactlyOnce() throws Exception {
        Path base = basePath();
        Path target = new Path(new Path(base, BUCKET), "part-" + flinkUid + "-2");
        RecoverableFsDataOutputStream stream = flinkWriter(base).open(target);
        write(stream, "pending\n");
        RecoverableWriter.CommitRecoverable recoverable = stream.closeForCommit().getRecoverable();

        SimpleVersionedSerializer<org.apache.flink.connector.file.sink.FileSinkCommittable> flink = flinkCommittables(base);
        byte[] bytes = flink.serialize(new org.apache.flink.connector.file.sink.FileSinkCommittable(
                BUCKET, new OutputStreamBasedPendingFileRecoverable(recoverable, target, 8)));
        FileSinkCommittable committable = ourCommittables(base).deserialize(flink.getVersion(), bytes);

        assertThat(committable.hasPendingFile()).isTrue();
        assertThat(committable.bucketId()).isEqualTo(BUCKET);
        assertThat(committable.target()).isEqualTo(target);
        assertThat(committable.size()).isEqualTo(8);
        try (StorageSession session = FileSystemStorage.INSTANCE.open(base)) {
            assertThat(session.commit(committable.target(), committable.pendingFile(), committable.size()))
                    .isEqualTo(CommitOutcome.COMMITTED);
            // The committer replays its committables after every restore: the second commit must change nothing.
            FileSinkCommittable replayed = ourCommittables(base).deserialize(flink.getVersion(), bytes);
            assertThat(session.commit(replayed.target(), replayed.pendingFile(), replayed.size()))
                    .isEqualTo(CommitOutcome.ALREADY_COMMITTED);
        }
        assertThat(read(target)).isEqualTo("pending\n");
        assertThat(hiddenFiles(new Path(base, BUCKET))).isEmpty();
    }

    @Test
    void anInProgressFileToCleanUpBecomesOurCleanup() throws Exception {
        Path base = basePath();
        Path target = new Path(new Path(base, BUCKET), "part-" + flinkUid + "-5");
        RecoverableFsDataOutputStream stream = flinkWriter(base).open(target);
        write(stream, "x\n");
        RecoverableWriter.ResumeRecoverable resumable = stream.persist();
        stream.close();

        SimpleVersionedSerializer<org.apache.flink.connector.file.sink.FileSinkCommittable> flink = flinkCommittables(base);
        byte[] bytes = flink.serialize(new org.apache.flink.connector.file.sink.FileSinkCommittable(
                BUCKET, new OutputStreamBasedInProgressFileRecoverable(resumable, target)));
        FileSinkCommittable committable = ourCommittables(base).deserialize(flink.getVersion(), bytes);

        assertThat(committable.hasPendingFile()).isFalse();
        assertThat(committable.bucketId()).isEqualTo(BUCKET);
        assertThat(committable.target()).isEqualTo(new Path(base, BUCKET));
        assertThat(committable.resumableToCleanup()).isNotNull();
    }

    @Test
    void aCompactedFileToCleanUpFailsNamingTheBucketAndTheFile() throws Exception {
        Path base = basePath();
        Path compacted = new Path(new Path(base, BUCKET), "compacted-part-" + flinkUid + "-0");
        SimpleVersionedSerializer<org.apache.flink.connector.file.sink.FileSinkCommittable> flink = flinkCommittables(base);
        byte[] bytes = flink.serialize(new org.apache.flink.connector.file.sink.FileSinkCommittable(BUCKET, compacted));

        assertThatThrownBy(() -> ourCommittables(base).deserialize(flink.getVersion(), bytes))
                .isInstanceOf(FlinkStateTakeoverException.class)
                .hasMessageContaining(BUCKET)
                .hasMessageContaining(compacted.getName())
                .hasMessageContaining("flink stop --drain");
    }

    @Test
    void aHiddenInProgressFileOfACompactingFlinkSinkFailsInsteadOfStayingHidden() throws Exception {
        Path base = basePath();
        Path bucketPath = new Path(base, BUCKET);
        // Flink's sink with enableCompact names part files "." + prefix until its compaction makes them visible.
        Path target = new Path(bucketPath, ".part-" + flinkUid + "-0");
        RecoverableFsDataOutputStream stream = flinkWriter(base).open(target);
        write(stream, "one\n");
        RecoverableWriter.ResumeRecoverable resumable = stream.persist();
        stream.close();
        byte[] bytes = flinkWriterStates(base).serialize(new FileWriterBucketState(
                BUCKET, bucketPath, 1_764_000_000_000L, new OutputStreamBasedInProgressFileRecoverable(resumable, target)));

        assertThatThrownBy(() -> ourWriterStates(base).deserialize(flinkWriterStates(base).getVersion(), bytes))
                .isInstanceOf(FlinkStateTakeoverException.class)
                .hasMessageContaining(target.getName())
                .hasMessageContaining("compaction")
                .hasMessageContaining("flink stop --drain");
    }

    @Test
    void aHiddenPendingFileOfACompactingFlinkSinkFailsInsteadOfStayingHidden() throws Exception {
        Path base = basePath();
        Path target = new Path(new Path(base, BUCKET), ".part-" + flinkUid + "-1");
        RecoverableFsDataOutputStream stream = flinkWriter(base).open(target);
        write(stream, "pending\n");
        RecoverableWriter.CommitRecoverable recoverable = stream.closeForCommit().getRecoverable();
        SimpleVersionedSerializer<org.apache.flink.connector.file.sink.FileSinkCommittable> flink = flinkCommittables(base);
        byte[] bytes = flink.serialize(new org.apache.flink.connector.file.sink.FileSinkCommittable(
                BUCKET, new OutputStreamBasedPendingFileRecoverable(recoverable, target, 8)));

        assertThatThrownBy(() -> ourCommittables(base).deserialize(flink.getVersion(), bytes))
                .isInstanceOf(FlinkStateTakeoverException.class)
                .hasMessageContaining(target.getName())
                .hasMessageContaining("compaction");
    }

    @Test
    void aBucketStateOfAnUnknownFlinkVersionFailsSayingWhatToDo() throws Exception {
        Path base = basePath();
        byte[] bytes = flinkWriterStates(base).serialize(
                new FileWriterBucketState(BUCKET, new Path(base, BUCKET), Long.MAX_VALUE, null));

        assertThatThrownBy(() -> ourWriterStates(base).deserialize(4, bytes))
                .isInstanceOf(FlinkStateTakeoverException.class)
                .hasMessageContaining("version 4")
                .hasMessageContaining("flink stop --drain");
    }

    @Test
    void pendingFilesInTheLegacyStreamingFileSinkStateAreCommittedWithTheFirstCheckpoint() throws Exception {
        Path base = basePath();
        Path bucketPath = new Path(base, BUCKET);
        RecoverableWriter flinkWriter = flinkWriter(base);
        Map<Long, List<LegacyBucketStates.Pending>> pending = new TreeMap<>();
        for (int counter = 5; counter <= 6; counter++) {
            Path target = new Path(bucketPath, "part-" + flinkUid + "-" + counter);
            RecoverableFsDataOutputStream stream = flinkWriter.open(target);
            write(stream, "p" + counter + "\n");
            pending.put(10L + counter, List.of(
                    new LegacyBucketStates.Pending(stream.closeForCommit().getRecoverable(), target, 3)));
        }
        Path inProgressTarget = new Path(bucketPath, "part-" + flinkUid + "-7");
        RecoverableFsDataOutputStream stream = flinkWriter.open(inProgressTarget);
        write(stream, "open\n");
        RecoverableWriter.ResumeRecoverable resumable = stream.persist();
        stream.close();
        byte[] bytes = LegacyBucketStates.serialize(
                flinkWriter, BUCKET, bucketPath, 1_764_000_000_000L, resumable, inProgressTarget, pending);

        FileWriterState state = ourWriterStates(base).deserialize(LegacyBucketStates.version(flinkWriter), bytes);

        assertThat(state.uid()).isEqualTo(flinkUid);
        assertThat(state.nextCounter()).isEqualTo(8);
        BucketState bucket = state.buckets().get(0);
        assertThat(bucket.inProgress().target()).isEqualTo(inProgressTarget);
        assertThat(bucket.pendingFiles()).extracting(PendingPartFile::target).containsExactly(
                new Path(bucketPath, "part-" + flinkUid + "-5"), new Path(bucketPath, "part-" + flinkUid + "-6"));
        assertThat(bucket.pendingFiles()).extracting(PendingPartFile::size).containsExactly(3L, 3L);

        // Through our writer: the first commit after the restore carries the pending files and, at end of input,
        // the resumed in-progress file.
        FileSink<String> ours = ourSink(base);
        List<FileSinkCommittable> committables;
        try (StorageSession session = FileSystemStorage.INSTANCE.open(base);
                FileWriter<String> writer = new FileWriter<>(ours.writerSettings(), session,
                        WriterIdentity.derive(List.of(state), "run", "job", 0, OptionalLong.of(12), 0), List.of(state),
                        new NoTimers(), SinkMetrics.forWriter(InternalSinkWriterMetricGroup.wrap(
                                UnregisteredMetricGroups.createUnregisteredOperatorMetricGroup())))) {
            writer.flush(true);
            committables = new ArrayList<>(writer.prepareCommit());
            committables.removeIf(FileSinkCommittable::isJournalTrim); // bucket journals, not files
            for (FileSinkCommittable committable : committables) {
                assertThat(session.commit(committable.target(), committable.pendingFile(), committable.size()))
                        .isEqualTo(CommitOutcome.COMMITTED);
            }
        }
        assertThat(committables).hasSize(3);
        assertThat(read(new Path(bucketPath, "part-" + flinkUid + "-5"))).isEqualTo("p5\n");
        assertThat(read(new Path(bucketPath, "part-" + flinkUid + "-6"))).isEqualTo("p6\n");
        assertThat(read(inProgressTarget)).isEqualTo("open\n");
        assertThat(hiddenFiles(bucketPath)).isEmpty();
    }

    /** A processing time service whose timers never fire (the writer registers its bucket check). */
    private static final class NoTimers implements ProcessingTimeService {
        @Override
        public long getCurrentProcessingTime() {
            return 0;
        }

        @Override
        public ScheduledFuture<?> registerTimer(long timestamp, ProcessingTimeCallback target) {
            return null;
        }
    }

    // --------------------------------------------------------------------------------------------------------------

    private static RecoverableWriter flinkWriter(Path base) throws IOException {
        return base.getFileSystem().createRecoverableWriter();
    }

    private static org.apache.flink.connector.file.sink.FileSink<String> flinkSink(Path base) {
        return org.apache.flink.connector.file.sink.FileSink.forRowFormat(base, new SimpleStringEncoder<String>())
                .build();
    }

    private static SimpleVersionedSerializer<FileWriterBucketState> flinkWriterStates(Path base) {
        return flinkSink(base).getWriterStateSerializer();
    }

    private static SimpleVersionedSerializer<org.apache.flink.connector.file.sink.FileSinkCommittable>
            flinkCommittables(Path base) {
        return flinkSink(base).getCommittableSerializer();
    }

    private static FileSink<String> ourSink(Path base) {
        return FileSink.forRowFormat(base, new SimpleStringEncoder<String>()).build();
    }

    private static SimpleVersionedSerializer<FileWriterState> ourWriterStates(Path base) {
        return ourSink(base).getWriterStateSerializer();
    }

    private static SimpleVersionedSerializer<FileSinkCommittable> ourCommittables(Path base) {
        return ourSink(base).getCommittableSerializer();
    }

    private static void write(RecoverableFsDataOutputStream stream, String text) throws IOException {
        stream.write(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String read(Path file) throws IOException {
        try (FSDataInputStream in = file.getFileSystem().open(file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static List<String> hiddenFiles(Path directory) throws IOException {
        FileSystem fs = directory.getFileSystem();
        List<String> hidden = new ArrayList<>();
        for (FileStatus status : fs.listStatus(directory)) {
            if (status.getPath().getName().startsWith(".")) {
                hidden.add(status.getPath().getName());
            }
        }
        return hidden;
    }
}
