package dev.filesink.takeover;

import dev.filesink.FileSink;
import dev.filesink.storage.FileSystemStorage;
import dev.filesink.storage.PartFileStorage;
import dev.filesink.storage.StorageSession;

import org.apache.flink.api.common.serialization.SimpleStringEncoder;
import org.apache.flink.connector.file.sink.writer.FileWriterBucketState;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.RecoverableFsDataOutputStream;
import org.apache.flink.core.fs.RecoverableWriter;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputStreamBasedPartFileWriter.OutputStreamBasedInProgressFileRecoverable;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputStreamBasedPartFileWriter.OutputStreamBasedPendingFileRecoverable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Flink's state whose storage recoverables our sink's storage cannot read (say, S3 state of Flink's S3 file system
 * restored into a sink on another back end) fails the restore with a message naming the bucket, the file and what
 * to do. The storage here is a pure stand-in: it only refuses to read recoverables.
 */
class UnreadableStorageStateTest {

    private static final String BUCKET = "2026-12-04--11";

    @TempDir java.nio.file.Path dir;

    @Test
    void anInProgressFileFailsNamingBucketFileAndWhatToDo() throws Exception {
        Path base = new Path(dir.toUri());
        Path target = new Path(new Path(base, BUCKET), "part-u-1");
        RecoverableFsDataOutputStream stream = base.getFileSystem().createRecoverableWriter().open(target);
        stream.write(1);
        RecoverableWriter.ResumeRecoverable resumable = stream.persist();
        stream.close();
        SimpleVersionedSerializer<FileWriterBucketState> flink = flinkSink(base).getWriterStateSerializer();
        byte[] bytes = flink.serialize(new FileWriterBucketState(
                BUCKET, new Path(base, BUCKET), 1L, new OutputStreamBasedInProgressFileRecoverable(resumable, target)));

        assertThatThrownBy(() -> refusingSink(base).getWriterStateSerializer().deserialize(flink.getVersion(), bytes))
                .isInstanceOf(FlinkStateTakeoverException.class)
                .hasMessageContaining("in-progress file '" + target + "'")
                .hasMessageContaining("bucket '" + BUCKET + "'")
                .hasMessageContaining("RefusingStorage")
                .hasMessageContaining("flink stop --drain");
    }

    @Test
    void aPendingFileFailsNamingBucketFileAndWhatToDo() throws Exception {
        Path base = new Path(dir.toUri());
        Path target = new Path(new Path(base, BUCKET), "part-u-2");
        RecoverableFsDataOutputStream stream = base.getFileSystem().createRecoverableWriter().open(target);
        stream.write(1);
        RecoverableWriter.CommitRecoverable pending = stream.closeForCommit().getRecoverable();
        SimpleVersionedSerializer<org.apache.flink.connector.file.sink.FileSinkCommittable> flink =
                flinkSink(base).getCommittableSerializer();
        byte[] bytes = flink.serialize(new org.apache.flink.connector.file.sink.FileSinkCommittable(
                BUCKET, new OutputStreamBasedPendingFileRecoverable(pending, target, 1)));

        assertThatThrownBy(() -> refusingSink(base).getCommittableSerializer().deserialize(flink.getVersion(), bytes))
                .isInstanceOf(FlinkStateTakeoverException.class)
                .hasMessageContaining("pending file '" + target + "'")
                .hasMessageContaining("bucket '" + BUCKET + "'")
                .hasMessageContaining("flink stop --drain");
    }

    private static org.apache.flink.connector.file.sink.FileSink<String> flinkSink(Path base) {
        return org.apache.flink.connector.file.sink.FileSink.forRowFormat(base, new SimpleStringEncoder<String>())
                .build();
    }

    private static FileSink<String> refusingSink(Path base) {
        return FileSink.forRowFormat(base, new SimpleStringEncoder<String>()).withStorage(new RefusingStorage()).build();
    }

    /** Local files, except that no recoverable can be read back. */
    private static final class RefusingStorage implements PartFileStorage {
        private static final long serialVersionUID = 1L;

        @Override
        public StorageSession open(Path basePath) throws IOException {
            StorageSession local = FileSystemStorage.INSTANCE.open(basePath);
            RecoverableWriter writer = local.recoverableWriter();
            return new StorageSession() {
                @Override
                public RecoverableWriter recoverableWriter() {
                    return new RefusingWriter(writer);
                }

                @Override
                public void checkWritable() throws IOException {
                    local.checkWritable();
                }

                @Override
                public dev.filesink.storage.CommitOutcome commit(
                        Path target, RecoverableWriter.CommitRecoverable pendingFile, long expectedSize) throws IOException {
                    return local.commit(target, pendingFile, expectedSize);
                }

                @Override
                public int discardOrphans(dev.filesink.storage.OrphanFilter filter) throws IOException {
                    return local.discardOrphans(filter);
                }
            };
        }
    }

    private static final class RefusingWriter implements RecoverableWriter {
        private final RecoverableWriter writer;

        RefusingWriter(RecoverableWriter writer) {
            this.writer = writer;
        }

        @Override
        public RecoverableFsDataOutputStream open(Path path) throws IOException {
            return writer.open(path);
        }

        @Override
        public RecoverableFsDataOutputStream recover(ResumeRecoverable resumable) throws IOException {
            return writer.recover(resumable);
        }

        @Override
        public boolean requiresCleanupOfRecoverableState() {
            return false;
        }

        @Override
        public boolean cleanupRecoverableState(ResumeRecoverable resumable) {
            return false;
        }

        @Override
        public RecoverableFsDataOutputStream.Committer recoverForCommit(CommitRecoverable recoverable) throws IOException {
            return writer.recoverForCommit(recoverable);
        }

        @Override
        public SimpleVersionedSerializer<CommitRecoverable> getCommitRecoverableSerializer() {
            return refusing();
        }

        @Override
        public SimpleVersionedSerializer<ResumeRecoverable> getResumeRecoverableSerializer() {
            return refusing();
        }

        @Override
        public boolean supportsResume() {
            return true;
        }

        private static <T> SimpleVersionedSerializer<T> refusing() {
            return new SimpleVersionedSerializer<>() {
                @Override
                public int getVersion() {
                    return 1;
                }

                @Override
                public byte[] serialize(T obj) {
                    throw new UnsupportedOperationException();
                }

                @Override
                public T deserialize(int version, byte[] serialized) throws IOException {
                    throw new IOException("Corrupt recoverable: bad magic number");
                }
            };
        }
    }
}
