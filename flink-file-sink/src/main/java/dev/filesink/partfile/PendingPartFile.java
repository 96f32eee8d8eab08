package dev.filesink.partfile;

import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.RecoverableWriter;

/** A part file closed for commit: complete, durable, not yet visible at its target. */
public record PendingPartFile(
        String bucketId, Path target, RecoverableWriter.CommitRecoverable recoverable, long size, long recordCount) {}
