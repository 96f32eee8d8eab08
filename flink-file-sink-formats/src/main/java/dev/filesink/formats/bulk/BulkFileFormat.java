package dev.filesink.formats.bulk;

import dev.filesink.FileSink;
import dev.filesink.formats.records.FileFormat;

import org.apache.flink.core.fs.Path;

/**
 * What the bulk formats (Avro, Parquet, ORC) share besides bad-record handling ({@link FileFormat}): the two ways to
 * use the format, {@link #sink(Path)} for the core's bulk sink builder with the format's defaults, or
 * {@link #writerFactory()} and {@link #suffix()} for {@code FileSink.forBulkFormat}.
 *
 * @param <T> the records
 * @param <SELF> the concrete format, returned by the {@code with...} methods
 */
public abstract class BulkFileFormat<T, SELF extends BulkFileFormat<T, SELF>> extends FileFormat<SELF> {

    private static final long serialVersionUID = 1L;

    /**
     * Bulk writers buffer pages, stripes and blocks themselves and write them in large pieces, so a small write buffer
     * per part file is enough; with thousands of open part files the core's default (64 KiB) would add up.
     */
    public static final int BULK_WRITE_BUFFER = 8 * 1024;

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
