package dev.filesink.committer;

import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.RecoverableWriter;

/**
 * A pending part file that a compaction merged into another: never made visible, discarded once the compacted file
 * is committed.
 *
 * @param target the name it would have had (for messages and for finding a failed compaction's leftovers)
 * @param pendingFile the storage's handle of its data
 * @param size its length in bytes
 */
public record CompactedInput(Path target, RecoverableWriter.CommitRecoverable pendingFile, long size) {}
