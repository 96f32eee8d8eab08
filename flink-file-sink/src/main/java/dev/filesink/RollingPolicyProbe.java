package dev.filesink;

import org.apache.flink.streaming.api.functions.sink.filesystem.PartFileInfo;

/** A small, fresh part file, to ask a rolling policy whether it rolls on checkpoints regardless of size. */
final class RollingPolicyProbe {

    private RollingPolicyProbe() {}

    static PartFileInfo<String> anyPartFile() {
        return new PartFileInfo<>() {
            @Override
            public String getBucketId() {
                return "";
            }

            @Override
            public long getCreationTime() {
                return System.currentTimeMillis();
            }

            @Override
            public long getSize() {
                return 1;
            }

            @Override
            public long getLastUpdateTime() {
                return System.currentTimeMillis();
            }
        };
    }
}
