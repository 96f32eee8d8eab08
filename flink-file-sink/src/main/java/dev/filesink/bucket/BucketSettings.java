package dev.filesink.bucket;

import dev.filesink.partfile.PartFileFactory;

import org.apache.flink.core.fs.RecoverableWriter;
import org.apache.flink.streaming.api.functions.sink.filesystem.RollingPolicy;

/** What all buckets of one writer share. */
public record BucketSettings<IN>(
        RecoverableWriter recoverableWriter,
        PartFileFactory<IN> partFileFactory,
        RollingPolicy<IN, String> rollingPolicy,
        PartFileNamer namer,
        int writeBufferSize,
        BucketListener listener) {

    /** Whether in-progress files may stay open across checkpoints (persisted and resumed). */
    public boolean canResume() {
        return partFileFactory.supportsResume() && recoverableWriter.supportsResume();
    }
}
