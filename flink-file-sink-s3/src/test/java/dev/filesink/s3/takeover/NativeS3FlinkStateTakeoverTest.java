package dev.filesink.s3.takeover;

import dev.filesink.s3.testing.FlinkS3Plugin;

import dev.filesink.s3.testing.S3TestBucket;
import dev.filesink.storage.StorageSession;
import dev.filesink.writer.FileWriterState;

import org.apache.flink.connector.file.sink.writer.FileWriterBucketState;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.RecoverableFsDataOutputStream;
import org.apache.flink.core.fs.RecoverableWriter;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputStreamBasedPartFileWriter.OutputStreamBasedInProgressFileRecoverable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Flink's FileSink state on {@code flink-s3-fs-native}, taken over by ours; and what this file system does on its
 * own: it aborts a file's multipart upload when its stream is closed, as Flink's writer does when the task stops
 * (for example on {@code flink stop} with a savepoint). Such an in-progress file cannot be resumed by anyone; ours
 * fails at restore naming the bucket, the file and what to do.
 */
class NativeS3FlinkStateTakeoverTest extends FlinkS3StateTakeoverContract {

    @Test
    void anInProgressFileWhoseStreamFlinkClosedFailsAtRestoreSayingWhatToDo() throws Exception {
        Path target = target("part-" + flinkUid + "-4");
        RecoverableFsDataOutputStream stream = flinkWriter().open(target);
        stream.write(S3TestBucket.randomBytes(5 * MIB + 10, 6));
        RecoverableWriter.ResumeRecoverable resumable = stream.persist();
        stream.close(); // as Flink's writer on a stop with savepoint: flink-s3-fs-native aborts the upload
        assertThat(server.openUploads(BUCKET_NAME, key(target))).as("aborted by flink-s3-fs-native").isEmpty();
        byte[] state = flinkWriterStates().serialize(new FileWriterBucketState(
                BUCKET_ID, bucketPath(), 0L, new OutputStreamBasedInProgressFileRecoverable(resumable, target)));

        FileWriterState restored = ourWriterStates().deserialize(flinkWriterStates().getVersion(), state);
        try (StorageSession session = ourSession()) {
            assertThatThrownBy(() -> session.recoverableWriter().recover(restored.buckets().get(0).inProgress().resumable()))
                    .hasMessageContaining("s3://" + BUCKET_NAME + "/" + key(target))
                    .hasMessageContaining("flink-s3-fs-native")
                    .hasMessageContaining("flink stop --drain");
        }
    }

    @BeforeAll
    static void startServerAndPlugin() throws Exception {
        start(server -> {
            try {
                return FlinkS3Plugin.nativeOn(server);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }
}
