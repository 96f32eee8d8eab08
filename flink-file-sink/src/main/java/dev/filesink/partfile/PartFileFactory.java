package dev.filesink.partfile;

import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.RecoverableWriter;

import java.io.IOException;
import java.io.Serializable;

/** Opens and resumes in-progress part files of one format (row or bulk). */
public interface PartFileFactory<IN> extends Serializable {

    InProgressPartFile<IN> open(RecoverableWriter writer, String bucketId, Path target, long now, int bufferSize)
            throws IOException;

    /** Reopens a persisted part file after a restore, truncated to its persisted length. */
    InProgressPartFile<IN> resume(
            RecoverableWriter writer,
            String bucketId,
            Path target,
            RecoverableWriter.ResumeRecoverable resumable,
            long creationTime,
            long recordCount,
            int bufferSize)
            throws IOException;

    /** Whether part files of this format can be persisted and resumed, i.e. may span checkpoints. */
    boolean supportsResume();
}
