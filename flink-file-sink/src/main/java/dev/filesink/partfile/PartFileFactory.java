package dev.filesink.partfile;

import org.apache.flink.core.fs.RecoverableWriter;

import java.io.IOException;
import java.io.Serializable;

/** Opens and resumes in-progress part files of one format (row or bulk). */
public interface PartFileFactory<IN> extends Serializable {

    /** Opens a new part file at {@code context.partFile()}. */
    InProgressPartFile<IN> open(RecoverableWriter writer, PartFileContext context, long now, int bufferSize)
            throws IOException;

    /** Reopens a persisted part file after a restore, truncated to its persisted length. */
    InProgressPartFile<IN> resume(
            RecoverableWriter writer,
            PartFileContext context,
            RecoverableWriter.ResumeRecoverable resumable,
            long creationTime,
            long recordCount,
            int bufferSize)
            throws IOException;

    /** Whether part files of this format can be persisted and resumed, i.e. may span checkpoints. */
    boolean supportsResume();
}
