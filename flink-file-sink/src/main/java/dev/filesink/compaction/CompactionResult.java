package dev.filesink.compaction;

import dev.filesink.committer.FileSinkCommittable;

import java.util.List;

/**
 * What compacting one group produced: the committables to hand on (the compacted file, plus inputs that could not be
 * compacted and go on as they are) and what it cost.
 *
 * @param bytesThroughTaskManager bytes this task manager read back and wrote again
 */
record CompactionResult(
        List<FileSinkCommittable> committables,
        int inputFiles,
        long inputBytes,
        int outputFiles,
        long outputBytes,
        long bytesThroughTaskManager,
        int passedThrough,
        long millis) {}
