package dev.filesink.writer;

import dev.filesink.partfile.PartFileFactory;
import dev.filesink.partitioncommit.PartitionCommit;
import dev.filesink.storage.PartFileStorage;

import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.functions.sink.filesystem.BucketAssigner;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.RollingPolicy;

import javax.annotation.Nullable;

import java.io.Serializable;

/**
 * Everything a writer subtask needs, as the builder validated it.
 *
 * @param maxOpenPartFiles at most this many in-progress part files per subtask; the least recently written is
 *     rolled when a new one would pass it (0: no limit)
 * @param maxBufferedBytes a budget for bytes buffered in open part files per subtask; the largest is rolled when
 *     it is passed (0: no limit)
 * @param discardOrphans whether a restarted writer looks for and discards in-progress files of failed attempts
 * @param partitionCommit partition commit as configured, or null (see docs/partition-commit.md)
 */
public record WriterSettings<IN>(
        Path basePath,
        PartFileStorage storage,
        BucketAssigner<IN, String> bucketAssigner,
        RollingPolicy<IN, String> rollingPolicy,
        PartFileFactory<IN> partFileFactory,
        OutputFileConfig outputFileConfig,
        long bucketCheckInterval,
        int writeBufferSize,
        int maxOpenPartFiles,
        long maxBufferedBytes,
        boolean discardOrphans,
        @Nullable PartitionCommit partitionCommit)
        implements Serializable {}
