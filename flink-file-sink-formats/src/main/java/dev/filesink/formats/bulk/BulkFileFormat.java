package dev.filesink.formats.bulk;

import dev.filesink.FileSink;
import dev.filesink.formats.records.BadRecords;

import org.apache.flink.core.fs.Path;

import java.io.Serializable;

/**
 * What the bulk formats (Avro, Parquet, ORC) share: bad-record handling, the file suffix, and the two ways to use the
 * format: {@link #sink(Path)} for the core's bulk sink builder with the format's defaults, or {@link #writerFactory()}
 * and {@link #suffix()} for {@code FileSink.forBulkFormat}.
 *
 * @param <T> the records
 * @param <SELF> the concrete format, returned by the {@code with...} methods
 */
public abstract class BulkFileFormat<T, SELF extends BulkFileFormat<T, SELF>> implements Serializable {

    private static final long serialVersionUID = 1L;

    /**
     * Bulk writers buffer pages, stripes and blocks themselves and write them in large pieces, so a small write buffer
     * per part file is enough; with thousands of open part files the core's default (64 KiB) would add up.
     */
    public static final int BULK_WRITE_BUFFER = 8 * 1024;

    private BadRecords badRecords = BadRecords.fail();

    @SuppressWarnings("unchecked")
    protected final SELF self() {
        return (SELF) this;
    }

    /** Skips records the format cannot write, logging at most 10 a minute, and counts them. */
    public SELF skipBadRecords() {
        return skipBadRecords(10);
    }

    public SELF skipBadRecords(int maxLoggedPerMinute) {
        this.badRecords = BadRecords.skip(maxLoggedPerMinute);
        return self();
    }

    /** Fails the job on a record the format cannot write, naming it (the default). */
    public SELF failOnBadRecords() {
        this.badRecords = BadRecords.fail();
        return self();
    }

    /** How this format treats records it cannot write. */
    public final BadRecords badRecords() {
        return badRecords;
    }

    /** The part file suffix ({@code ".parquet"}). */
    public abstract String suffix();

    /** The factory to hand to {@code FileSink.forBulkFormat}. */
    public abstract FormatWriterFactory<T> writerFactory();

    /**
     * The core's bulk sink builder for this format: part files get the format's suffix unless the output file config
     * sets one, and a write buffer sized for bulk formats; every other option is the core builder's own.
     */
    public FileSink.DefaultBulkFormatBuilder<T> sink(Path basePath) {
        return FileSink.forBulkFormat(basePath, writerFactory())
                .withDefaultPartSuffix(suffix())
                .withWriteBufferSize(BULK_WRITE_BUFFER);
    }
}
