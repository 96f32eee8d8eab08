package dev.filesink.formats.sink;

import dev.filesink.FileSink;
import dev.filesink.formats.bulk.FormatBulkPartFileFactory;
import dev.filesink.formats.bulk.FormatWriterFactory;
import dev.filesink.formats.bulk.SchemaChangeRollingPolicy;
import dev.filesink.formats.row.FormatRowPartFileFactory;
import dev.filesink.formats.row.RowEncoder;
import dev.filesink.partfile.PartFileFactory;
import dev.filesink.storage.PartFileStorage;

import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.functions.sink.filesystem.BucketAssigner;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.RollingPolicy;

import java.io.Serializable;
import java.time.Duration;

/**
 * Builds a sink for one of our formats. It has the options of the core {@link FileSink} builders, and adds what
 * the format needs: the part file suffix (unless the output file config sets one), the {@code recordsSkipped}
 * metric, and for Avro and Parquet a roll to a new part file when the schema changes.
 */
public final class FormatSinkBuilder<IN> implements Serializable {

    private static final long serialVersionUID = 1L;

    /**
     * Bulk writers buffer pages, stripes and blocks themselves and write them in large pieces, so a small write buffer
     * per part file is enough; with thousands of open part files the core's default (64 KiB) would add up.
     */
    static final int BULK_WRITE_BUFFER = 8 * 1024;

    private final Path basePath;
    private final RowEncoder<IN> encoder;
    private final FormatWriterFactory<IN> writerFactory;
    private final String suffix;

    private BucketAssigner<IN, String> bucketAssigner;
    private RollingPolicy<IN, String> rollingPolicy;
    private OutputFileConfig outputFileConfig;
    private Long bucketCheckInterval;
    private PartFileStorage storage;
    private Integer writeBufferSize;
    private Integer commitParallelism;
    private Integer commitAttempts;
    private Duration commitInitialBackoff;
    private Duration commitMaxBackoff;
    private Integer maxOpenPartFiles;
    private Long maxBufferedBytes;
    private Boolean orphanCleanup;

    private FormatSinkBuilder(Path basePath, RowEncoder<IN> encoder, FormatWriterFactory<IN> writerFactory, String suffix) {
        this.basePath = basePath;
        this.encoder = encoder;
        this.writerFactory = writerFactory;
        this.suffix = suffix;
    }

    public static <IN> FormatSinkBuilder<IN> forRowFormat(Path basePath, RowEncoder<IN> encoder, String suffix) {
        return new FormatSinkBuilder<>(basePath, encoder, null, suffix);
    }

    public static <IN> FormatSinkBuilder<IN> forBulkFormat(
            Path basePath, FormatWriterFactory<IN> writerFactory, String suffix) {
        return new FormatSinkBuilder<>(basePath, null, writerFactory, suffix);
    }

    public FormatSinkBuilder<IN> withBucketAssigner(BucketAssigner<IN, String> assigner) {
        this.bucketAssigner = assigner;
        return this;
    }

    /**
     * Any policy for row formats; for bulk formats one that rolls on every checkpoint (a
     * {@code CheckpointRollingPolicy}). Bulk formats also roll when the schema changes.
     */
    public FormatSinkBuilder<IN> withRollingPolicy(RollingPolicy<IN, String> policy) {
        this.rollingPolicy = policy;
        return this;
    }

    /** Part prefix and suffix; an empty suffix is replaced by the format's ({@code ".jsonl.gz"}). */
    public FormatSinkBuilder<IN> withOutputFileConfig(OutputFileConfig config) {
        this.outputFileConfig = config;
        return this;
    }

    public FormatSinkBuilder<IN> withBucketCheckInterval(long interval) {
        this.bucketCheckInterval = interval;
        return this;
    }

    public FormatSinkBuilder<IN> withStorage(PartFileStorage storage) {
        this.storage = storage;
        return this;
    }

    /** Bytes buffered per open part file (default: the core's 64 KiB for row formats, 8 KiB for bulk formats). */
    public FormatSinkBuilder<IN> withWriteBufferSize(int bytes) {
        this.writeBufferSize = bytes;
        return this;
    }

    public FormatSinkBuilder<IN> withCommitParallelism(int threads) {
        this.commitParallelism = threads;
        return this;
    }

    public FormatSinkBuilder<IN> withCommitRetries(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
        this.commitAttempts = maxAttempts;
        this.commitInitialBackoff = initialBackoff;
        this.commitMaxBackoff = maxBackoff;
        return this;
    }

    public FormatSinkBuilder<IN> withMaxOpenPartFiles(int maxOpen) {
        this.maxOpenPartFiles = maxOpen;
        return this;
    }

    public FormatSinkBuilder<IN> withMaxBufferedBytes(long bytes) {
        this.maxBufferedBytes = bytes;
        return this;
    }

    public FormatSinkBuilder<IN> withOrphanCleanup(boolean enabled) {
        this.orphanCleanup = enabled;
        return this;
    }

    /** The part file suffix this builder sets when the output file config has none. */
    public String suffix() {
        return suffix;
    }

    public FormatSink<IN> build() {
        return new FormatSink<>(buildFileSink());
    }

    /** The core sink without the metric wrapper (bad records are still skipped and logged if so configured). */
    public FileSink<IN> buildFileSink() {
        FileSink.BucketsBuilder<IN, ?> builder;
        if (encoder != null) {
            RowBuilder<IN> row = new RowBuilder<>(basePath, encoder);
            if (rollingPolicy != null) {
                row.withRollingPolicy(rollingPolicy);
            }
            builder = row;
        } else {
            BulkBuilder<IN> bulk = new BulkBuilder<>(basePath, writerFactory);
            if (rollingPolicy != null) {
                bulk.withRollingPolicy(rollingPolicy);
            }
            builder = bulk;
        }
        builder.withOutputFileConfig(withSuffix(outputFileConfig));
        if (bucketAssigner != null) {
            builder.withBucketAssigner(bucketAssigner);
        }
        if (bucketCheckInterval != null) {
            builder.withBucketCheckInterval(bucketCheckInterval);
        }
        if (storage != null) {
            builder.withStorage(storage);
        }
        if (writeBufferSize != null) {
            builder.withWriteBufferSize(writeBufferSize);
        } else if (writerFactory != null) {
            builder.withWriteBufferSize(BULK_WRITE_BUFFER);
        }
        if (commitParallelism != null) {
            builder.withCommitParallelism(commitParallelism);
        }
        if (commitAttempts != null) {
            builder.withCommitRetries(commitAttempts, commitInitialBackoff, commitMaxBackoff);
        }
        if (maxOpenPartFiles != null) {
            builder.withMaxOpenPartFiles(maxOpenPartFiles);
        }
        if (maxBufferedBytes != null) {
            builder.withMaxBufferedBytes(maxBufferedBytes);
        }
        if (orphanCleanup != null) {
            builder.withOrphanCleanup(orphanCleanup);
        }
        return builder.build();
    }

    private OutputFileConfig withSuffix(OutputFileConfig config) {
        if (config == null) {
            return OutputFileConfig.builder().withPartSuffix(suffix).build();
        }
        if (config.getPartSuffix() == null || config.getPartSuffix().isEmpty()) {
            return OutputFileConfig.builder().withPartPrefix(config.getPartPrefix()).withPartSuffix(suffix).build();
        }
        return config;
    }

    /** The core row builder with our part files, which tell the encoder their bucket and file. */
    private static final class RowBuilder<IN> extends FileSink.RowFormatBuilder<IN, RowBuilder<IN>> {
        private static final long serialVersionUID = 1L;
        private final RowEncoder<IN> encoder;

        RowBuilder(Path basePath, RowEncoder<IN> encoder) {
            super(basePath, encoder);
            this.encoder = encoder;
        }

        @Override
        protected PartFileFactory<IN> partFileFactory() {
            return new FormatRowPartFileFactory<>(encoder);
        }
    }

    /** The core bulk builder with our part files, whose writers can ask for a roll when the schema changes. */
    private static final class BulkBuilder<IN> extends FileSink.BulkFormatBuilder<IN, BulkBuilder<IN>> {
        private static final long serialVersionUID = 1L;
        private final FormatWriterFactory<IN> writerFactory;

        BulkBuilder(Path basePath, FormatWriterFactory<IN> writerFactory) {
            super(basePath, writerFactory);
            this.writerFactory = writerFactory;
        }

        @Override
        public BulkBuilder<IN> withRollingPolicy(RollingPolicy<IN, String> policy) {
            return super.withRollingPolicy(policy == null ? null : new SchemaChangeRollingPolicy<>(policy));
        }

        @Override
        protected RollingPolicy<IN, String> defaultRollingPolicy() {
            return new SchemaChangeRollingPolicy<>(super.defaultRollingPolicy());
        }

        @Override
        protected void validateRollingPolicy(RollingPolicy<IN, String> policy) {
            super.validateRollingPolicy(
                    policy instanceof SchemaChangeRollingPolicy<IN> wrapped ? wrapped.delegate() : policy);
        }

        @Override
        protected PartFileFactory<IN> partFileFactory() {
            requireArgument(writerFactory != null, "writerFactory (bulk format) must not be null");
            return new FormatBulkPartFileFactory<>(writerFactory);
        }
    }
}
