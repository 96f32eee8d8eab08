package dev.filesink.formats.sink;

import dev.filesink.FileSink;
import dev.filesink.formats.bulk.FormatWriterFactory;
import dev.filesink.formats.row.RowEncoder;
import dev.filesink.storage.PartFileStorage;

import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.functions.sink.filesystem.BucketAssigner;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.RollingPolicy;

import java.io.Serializable;
import java.time.Duration;

/**
 * Builds the core {@link FileSink} for one of our formats, with the options of the core builders plus the format's
 * defaults: the part file suffix (unless the output file config sets one) and, for bulk formats, a smaller write
 * buffer. Schema-change rolling and the {@code recordsSkipped} metric come from the core sink itself, so a sink
 * built with {@code FileSink.forRowFormat/forBulkFormat} and the format's pieces behaves the same.
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
     * {@code CheckpointRollingPolicy}). Avro and Parquet files also roll when the schema changes, whatever the policy.
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

    public FileSink<IN> build() {
        FileSink.BucketsBuilder<IN, ?> builder;
        if (encoder != null) {
            FileSink.DefaultRowFormatBuilder<IN> row = FileSink.forRowFormat(basePath, encoder);
            if (rollingPolicy != null) {
                row.withRollingPolicy(rollingPolicy);
            }
            builder = row;
        } else {
            FileSink.DefaultBulkFormatBuilder<IN> bulk = FileSink.forBulkFormat(basePath, writerFactory);
            if (rollingPolicy != null) {
                bulk.withRollingPolicy(rollingPolicy);
            }
            builder = bulk.withWriteBufferSize(BULK_WRITE_BUFFER);
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
}
