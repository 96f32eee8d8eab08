package dev.filesink.writer;

import dev.filesink.bucket.BucketState;

import java.util.List;

/**
 * The checkpointed state of one writer subtask.
 *
 * @param uid the id in the names of the part files this writer opens
 * @param nextCounter the counter of the next part file it would have opened; files with a higher or equal counter
 *     were opened after the checkpoint and are orphans once the job restores from it
 * @param buckets the buckets with an in-progress part file
 */
public record FileWriterState(String uid, long nextCounter, List<BucketState> buckets) {}
