package dev.filesink.bucket;

import dev.filesink.partfile.PartFileFactory;

import org.apache.flink.core.fs.RecoverableWriter;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.sink.filesystem.RollingPolicy;

/**
 * What all buckets of one writer share.
 *
 * @param recordsSkipped the writer's counter of records formats skip as bad, handed to formats with each part file
 */
public record BucketSettings<IN>(
        RecoverableWriter recoverableWriter,
        PartFileFactory<IN> partFileFactory,
        RollingPolicy<IN, String> rollingPolicy,
        PartFileNamer namer,
        int writeBufferSize,
        BucketListener listener,
        Counter recordsSkipped) {

    /** Whether in-progress files may stay open across checkpoints (persisted and resumed). */
    public boolean canResume() {
        return partFileFactory.supportsResume() && recoverableWriter.supportsResume();
    }
}
