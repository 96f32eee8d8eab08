package dev.filesink.formats.row;

import dev.filesink.FileSink;
import dev.filesink.formats.compression.Compression;
import dev.filesink.formats.compression.ParallelCompression;
import dev.filesink.formats.records.FileFormat;

import org.apache.flink.core.fs.Path;


/**
 * What all row formats share: compression, bad-record handling, the file suffix, and the two ways to use the format:
 * {@link #sink(Path)} for the core's row sink builder, or {@link #encoder()} and {@link #suffix()} for
 * {@code FileSink.forRowFormat}.
 *
 * @param <T> the records
 * @param <SELF> the concrete format, returned by the {@code with...} methods
 */
public abstract class RowFormat<T, SELF extends RowFormat<T, SELF>> extends FileFormat<SELF> {

    private static final long serialVersionUID = 1L;

    private Compression compression = Compression.NONE;
    private int compressionLevel;
    private ParallelCompression parallelism = ParallelCompression.defaults();
    /** Compresses part files with the codec's default level; the suffix gets the codec's extension. */
    public SELF withCompression(Compression compression) {
        if (compression == null) {
            throw new IllegalArgumentException("compression must not be null (use Compression.NONE)");
        }
        this.compression = compression;
        this.compressionLevel = compression.defaultLevel();
        return self();
    }

    /** Compresses part files with the given level (gzip 1-9, zstd 1-22, bzip2 1-9). */
    public SELF withCompression(Compression compression, int level) {
        withCompression(compression);
        this.compressionLevel = compression.withLevelCheck(level);
        return self();
    }

    /**
     * How compression runs: by default in parallel on a TaskManager-wide pool, one thread per processor, in 256 KiB
     * blocks ({@link ParallelCompression#defaults()}); {@link ParallelCompression#inline()} compresses on the task
     * thread.
     */
    public SELF withParallelCompression(ParallelCompression parallelism) {
        if (parallelism == null) {
            throw new IllegalArgumentException("parallel compression settings must not be null "
                    + "(use ParallelCompression.inline() to compress on the task thread)");
        }
        this.parallelism = parallelism;
        return self();
    }

    /** Compresses on the task thread, one compressed unit per checkpoint (smaller files, a slower sink). */
    public SELF withInlineCompression() {
        return withParallelCompression(ParallelCompression.inline());
    }

    public Compression compression() {
        return compression;
    }

    /** The part file suffix: the format's extension and the compression's ({@code ".jsonl.gz"}). */
    @Override
    public String suffix() {
        return extension() + compression.extension();
    }

    /** The encoder to hand to {@code FileSink.forRowFormat}. */
    public RowEncoder<T> encoder() {
        return new RowEncoder<>(serializer(), preamble(), compression, compressionLevel, parallelism, badRecords());
    }

    /**
     * The core's row sink builder for this format: part files get the format's suffix unless the output file config
     * sets one; every other option is the core builder's own.
     */
    public FileSink.DefaultRowFormatBuilder<T> sink(Path basePath) {
        return FileSink.forRowFormat(basePath, encoder()).withDefaultPartSuffix(suffix());
    }

    /** The format's own file extension, without compression ({@code ".jsonl"}). */
    protected abstract String extension();

    /** A fresh serializer for one record at a time. */
    protected abstract RecordSerializer<T> serializer();

    /** Bytes at the top of every part file (a CSV header), or null. */
    protected byte[] preamble() {
        return null;
    }
}
