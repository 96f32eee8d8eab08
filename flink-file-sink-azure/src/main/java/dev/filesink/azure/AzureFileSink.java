package dev.filesink.azure;

import dev.filesink.FileSink;

import org.apache.flink.api.common.serialization.BulkWriter;
import org.apache.flink.api.common.serialization.Encoder;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.functions.sink.filesystem.RollingPolicy;

/**
 * Builders of a {@link FileSink} that writes to Azure Blob Storage: the same options as {@link FileSink}'s, with
 * the storage set and the rolling policy wrapped in {@link BlockLimitRollingPolicy}.
 */
public final class AzureFileSink {

    private AzureFileSink() {}

    public static <IN> RowFormatBuilder<IN> forRowFormat(Path basePath, Encoder<IN> encoder, AzureBlobStorage storage) {
        return new RowFormatBuilder<>(basePath, encoder, storage);
    }

    public static <IN> BulkFormatBuilder<IN> forBulkFormat(
            Path basePath, BulkWriter.Factory<IN> writerFactory, AzureBlobStorage storage) {
        return new BulkFormatBuilder<>(basePath, writerFactory, storage);
    }

    /** A row-format builder whose part files roll before the block limit. */
    public static final class RowFormatBuilder<IN> extends FileSink.RowFormatBuilder<IN, RowFormatBuilder<IN>> {

        private static final long serialVersionUID = 1L;

        private RowFormatBuilder(Path basePath, Encoder<IN> encoder, AzureBlobStorage storage) {
            super(basePath, encoder);
            withStorage(storage);
        }

        @Override
        public FileSink<IN> build() {
            RollingPolicy<IN, String> chosen = rollingPolicy != null ? rollingPolicy : defaultRollingPolicy();
            rollingPolicy = BlockLimitRollingPolicy.wrap(chosen);
            try {
                return super.build();
            } finally {
                rollingPolicy = chosen;
            }
        }
    }

    /** A bulk-format builder whose part files roll before the block limit. */
    public static final class BulkFormatBuilder<IN> extends FileSink.BulkFormatBuilder<IN, BulkFormatBuilder<IN>> {

        private static final long serialVersionUID = 1L;

        private BulkFormatBuilder(Path basePath, BulkWriter.Factory<IN> writerFactory, AzureBlobStorage storage) {
            super(basePath, writerFactory);
            withStorage(storage);
        }

        @Override
        public FileSink<IN> build() {
            RollingPolicy<IN, String> chosen = rollingPolicy != null ? rollingPolicy : defaultRollingPolicy();
            // Checked before wrapping: the wrapper is not itself a CheckpointRollingPolicy.
            validateRollingPolicy(chosen);
            rollingPolicy = BlockLimitRollingPolicy.wrap(chosen);
            try {
                return super.build();
            } finally {
                rollingPolicy = chosen;
            }
        }
    }
}
