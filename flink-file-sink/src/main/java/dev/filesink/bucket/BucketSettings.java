package dev.filesink.bucket;

import dev.filesink.journal.BucketJournal;

import dev.filesink.partfile.PartFileFactory;

import org.apache.flink.core.fs.RecoverableWriter;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.sink.filesystem.RollingPolicy;

/**
 * What all buckets of one writer share.
 *
 * @param recordsSkipped the writer's counter of records formats skip as bad, handed to formats with each part file
 * @param journal records a bucket before a part file is opened in it
 */
public record BucketSettings<IN>(
        RecoverableWriter recoverableWriter,
        PartFileFactory<IN> partFileFactory,
        RollingPolicy<IN, String> rollingPolicy,
        PartFileNamer namer,
        int writeBufferSize,
        BucketListener listener,
        Counter recordsSkipped,
        BucketJournal journal) {

    /** Settings without a bucket journal. */
    public BucketSettings(
            RecoverableWriter recoverableWriter,
            PartFileFactory<IN> partFileFactory,
            RollingPolicy<IN, String> rollingPolicy,
            PartFileNamer namer,
            int writeBufferSize,
            BucketListener listener,
            Counter recordsSkipped) {
        this(recoverableWriter, partFileFactory, rollingPolicy, namer, writeBufferSize, listener, recordsSkipped,
                BucketJournal.disabled());
    }

    /** Whether in-progress files may stay open across checkpoints (persisted and resumed). */
    public boolean canResume() {
        return partFileFactory.supportsResume() && recoverableWriter.supportsResume();
    }
}
