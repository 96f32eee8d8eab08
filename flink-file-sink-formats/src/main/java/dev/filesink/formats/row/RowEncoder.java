package dev.filesink.formats.row;

import dev.filesink.formats.compression.Compression;
import dev.filesink.formats.compression.ParallelCompression;
import dev.filesink.formats.records.BadRecords;
import dev.filesink.partfile.PartFileAwareEncoder;
import dev.filesink.partfile.PartFileContext;

import java.io.IOException;
import java.io.OutputStream;

/**
 * The {@link PartFileAwareEncoder} of every row format: writes the format's preamble (a CSV header) at the top of
 * each new part file, encodes each record into a buffer first (so a bad record leaves nothing behind) and
 * compresses in units that end at every persist.
 */
public final class RowEncoder<T> implements PartFileAwareEncoder<T> {

    private static final long serialVersionUID = 1L;

    private final RecordSerializer<T> serializer;
    private final byte[] preamble;
    private final Compression compression;
    private final int level;
    private final ParallelCompression parallelism;
    private final BadRecords badRecords;

    /**
     * @param preamble bytes at the top of every part file, or null
     */
    public RowEncoder(
            RecordSerializer<T> serializer, byte[] preamble, Compression compression, int level, BadRecords badRecords) {
        this(serializer, preamble, compression, level, ParallelCompression.defaults(), badRecords);
    }

    /**
     * @param preamble bytes at the top of every part file, or null
     * @param parallelism whether and how compression runs off the task thread
     */
    public RowEncoder(RecordSerializer<T> serializer, byte[] preamble, Compression compression, int level,
            ParallelCompression parallelism, BadRecords badRecords) {
        this.serializer = serializer;
        this.preamble = preamble;
        this.compression = compression;
        this.level = level;
        this.parallelism = parallelism;
        this.badRecords = badRecords;
    }

    @Override
    public RecordWriter<T> openPartFile(OutputStream out, boolean resumed) throws IOException {
        return openPartFile(out, resumed, PartFileContext.UNKNOWN);
    }

    /** What the sink calls: knows the bucket and file for messages, and the metric skipped records count in. */
    @Override
    public RowRecordWriter<T> openPartFile(OutputStream out, boolean resumed, PartFileContext where)
            throws IOException {
        RowRecordWriter<T> writer = new RowRecordWriter<>(
                serializer, parallelism.open(out, compression, level, where.describe()), badRecords, where);
        if (!resumed && preamble != null) {
            writer.writeRaw(preamble);
        }
        return writer;
    }

    /**
     * The plain {@link org.apache.flink.api.common.serialization.Encoder} path, for sinks that do not open part
     * files through {@link #openPartFile}: only possible without compression and preamble.
     */
    @Override
    public void encode(T element, OutputStream stream) throws IOException {
        if (compression != Compression.NONE || preamble != null) {
            throw new UnsupportedOperationException("This format (compression " + compression
                    + (preamble != null ? ", with a header per part file" : "") + ") needs a part-file-aware sink: "
                    + "use dev.filesink.FileSink or the format's sink(...) builder");
        }
        RecordBuffer buffer = new RecordBuffer();
        try {
            serializer.serialize(element, buffer);
        } catch (dev.filesink.formats.records.BadRecordException e) {
            badRecords.handle(e, element, PartFileContext.UNKNOWN);
            return;
        }
        stream.write(buffer.array(), 0, buffer.size());
    }

    public BadRecords badRecords() {
        return badRecords;
    }

    public Compression compression() {
        return compression;
    }

    public ParallelCompression parallelism() {
        return parallelism;
    }
}
