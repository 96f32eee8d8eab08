package dev.filesink.bucket;

import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.RecoverableWriter;

/** A persisted in-progress part file: enough to resume writing it after a restore. */
public record InProgressFileState(
        Path target,
        RecoverableWriter.ResumeRecoverable resumable,
        long creationTime,
        long size,
        long recordCount) {}
