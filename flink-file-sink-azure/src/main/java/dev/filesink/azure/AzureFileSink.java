package dev.filesink.azure;

import dev.filesink.FileSink;

import org.apache.flink.api.common.serialization.BulkWriter;
import org.apache.flink.api.common.serialization.Encoder;
import org.apache.flink.core.fs.Path;

/**
 * Builders of a {@link FileSink} that writes to Azure Blob Storage: the same options as {@link FileSink}'s, with
 * the storage set. Part files roll before a blob's block limit whatever the rolling policy: the blob's stream asks
 * the sink for it (see {@code BlockBlobOutputStream}).
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

    /** A row-format builder writing to Azure Blob Storage. */
    public static final class RowFormatBuilder<IN> extends FileSink.RowFormatBuilder<IN, RowFormatBuilder<IN>> {

        private static final long serialVersionUID = 1L;

        private RowFormatBuilder(Path basePath, Encoder<IN> encoder, AzureBlobStorage storage) {
            super(basePath, encoder);
            withStorage(storage);
        }
    }

    /** A bulk-format builder writing to Azure Blob Storage. */
    public static final class BulkFormatBuilder<IN> extends FileSink.BulkFormatBuilder<IN, BulkFormatBuilder<IN>> {

        private static final long serialVersionUID = 1L;

        private BulkFormatBuilder(Path basePath, BulkWriter.Factory<IN> writerFactory, AzureBlobStorage storage) {
            super(basePath, writerFactory);
            withStorage(storage);
        }
    }
}
