package dev.filesink.formats.orc;

import dev.filesink.compaction.MergeKeys;
import dev.filesink.formats.bulk.PositionedOutputStream;

import org.apache.flink.connector.file.sink.compactor.OutputStreamBasedFileCompactor;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.Path;
import org.apache.flink.orc.writer.PhysicalWriterImpl;
import org.apache.hadoop.conf.Configuration;
import org.apache.orc.CompressionKind;
import org.apache.orc.OrcFile;
import org.apache.orc.OrcProto;
import org.apache.orc.Reader;
import org.apache.orc.StripeInformation;
import org.apache.orc.Writer;
import org.apache.orc.impl.MemoryManagerImpl;
import org.apache.orc.impl.WriterImpl;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Compacts ORC files without decoding a value: the inputs' stripes are copied as they are (ORC's
 * {@code Writer.appendStripe}, with their statistics) under one footer. Only files of one schema, compression
 * (kind and block size), file and writer version, row index stride and user metadata are merged: with
 * {@code dev.filesink.FileSink} the sink compacts each such kind into its own file ({@link MergeKeys}); given files
 * that differ (e.g. by Flink's own sink), it fails, naming them.
 *
 * <pre>{@code
 * FileSink.forBulkFormat(path, Formats.orc(vectorizer).writerFactory())
 *         .enableCompact(strategy, new OrcFileCompactor())
 * }</pre>
 *
 * <p>The compacted file has as many stripes as its inputs together (small ones, as the inputs were).
 */
public final class OrcFileCompactor extends OutputStreamBasedFileCompactor implements MergeKeys {

    private static final long serialVersionUID = 1L;

    @Override
    public String mergeKey(Path input) throws IOException {
        return kindOf(open(new HadoopViewOfFlinkFile(input))).toString();
    }

    @Override
    protected void doCompact(List<Path> inputs, OutputStream out) throws Exception {
        // Nothing to release on failure: the writer's memory manager is its own, and the sink discards the output.
        Writer writer = null;
        Kind kind = null;
        for (Path input : inputs) {
            Reader reader = open(new HadoopViewOfFlinkFile(input));
            Kind inputKind = kindOf(reader);
            if (writer == null) {
                kind = inputKind;
                writer = create(reader, out);
            } else if (!kind.equals(inputKind)) {
                throw new IOException("Cannot merge ORC file '" + input + "' with '" + inputs.get(0)
                        + "' without decoding them: " + kind.difference(inputKind));
            }
            appendStripes(input, reader, writer);
        }
        if (writer != null) {
            writer.close(); // writes the footer; the stream given to a compactor stays open
        }
    }

    private static Reader open(HadoopViewOfFlinkFile file) throws IOException {
        return OrcFile.createReader(file.path(),
                OrcFile.readerOptions(new Configuration(false)).filesystem(file).maxLength(file.length()));
    }

    /** A writer that takes the first input's settings, so its stripes (and the others') are valid in the output. */
    private static Writer create(Reader first, OutputStream out) throws IOException {
        Configuration conf = new Configuration(false);
        OrcFile.WriterOptions options = new InputsWriterOptions(conf, first.getWriterVersion())
                .setSchema(first.getSchema())
                .compress(first.getCompressionKind())
                .bufferSize(first.getCompressionSize())
                .enforceBufferSize()
                .version(first.getFileVersion())
                .rowIndexStride(first.getRowIndexStride())
                .blockPadding(false)
                .memory(new MemoryManagerImpl(conf));
        options.physicalWriter(new PhysicalWriterImpl(new PositionedOutputStream(out), options));
        // The path only keys the writer in its memory manager; the physical writer writes to the stream.
        Writer writer = new WriterImpl(null, new org.apache.hadoop.fs.Path(UUID.randomUUID().toString()), options);
        for (String key : first.getMetadataKeys()) {
            writer.addUserMetadata(key, first.getMetadataValue(key));
        }
        return writer;
    }

    private static void appendStripes(Path input, Reader reader, Writer writer) throws IOException {
        List<StripeInformation> stripes = reader.getStripes();
        List<OrcProto.StripeStatistics> statistics = reader.getOrcProtoStripeStatistics();
        if (statistics.size() != stripes.size()) {
            throw new IOException("Cannot compact ORC file '" + input + "': it has " + stripes.size()
                    + " stripes but statistics of " + statistics.size());
        }
        try (FSDataInputStream in = input.getFileSystem().open(input)) {
            for (int i = 0; i < stripes.size(); i++) {
                StripeInformation stripe = stripes.get(i);
                byte[] bytes = new byte[Math.toIntExact(stripe.getLength())];
                in.seek(stripe.getOffset());
                readFully(in, bytes, input);
                writer.appendStripe(bytes, 0, bytes.length, stripe, statistics.get(i));
            }
        }
    }

    private static void readFully(FSDataInputStream in, byte[] bytes, Path input) throws IOException {
        int read = 0;
        while (read < bytes.length) {
            int n = in.read(bytes, read, bytes.length - read);
            if (n < 0) {
                throw new IOException("Cannot compact ORC file '" + input + "': it ends inside a stripe");
            }
            read += n;
        }
    }

    private static Kind kindOf(Reader reader) {
        Map<String, String> metadata = new TreeMap<>();
        for (String key : reader.getMetadataKeys()) {
            ByteBuffer value = reader.getMetadataValue(key).duplicate();
            byte[] bytes = new byte[value.remaining()];
            value.get(bytes);
            metadata.put(key, Base64.getEncoder().encodeToString(bytes));
        }
        return new Kind(reader.getSchema().toString(), reader.getCompressionKind(), reader.getCompressionSize(),
                reader.getFileVersion().getName(), reader.getWriterVersion().getId(), reader.getRowIndexStride(),
                metadata);
    }

    /** What decides whether two ORC files' stripes can share one footer. */
    private record Kind(String schema, CompressionKind compression, int compressionSize, String fileVersion,
            int writerVersion, int rowIndexStride, Map<String, String> userMetadata) {

        String difference(Kind other) {
            if (!schema.equals(other.schema)) {
                return "their schemas differ (" + schema + " and " + other.schema + ")";
            }
            if (compression != other.compression || compressionSize != other.compressionSize) {
                return "their compressions differ (" + compression + "/" + compressionSize + " and "
                        + other.compression + "/" + other.compressionSize + ")";
            }
            if (!fileVersion.equals(other.fileVersion) || writerVersion != other.writerVersion) {
                return "their ORC versions differ (" + fileVersion + "/" + writerVersion + " and "
                        + other.fileVersion + "/" + other.writerVersion + ")";
            }
            if (rowIndexStride != other.rowIndexStride) {
                return "their row index strides differ (" + rowIndexStride + " and " + other.rowIndexStride + ")";
            }
            return "their user metadata differ (" + userMetadata.keySet() + " and " + other.userMetadata.keySet() + ")";
        }
    }

    /** ORC's writer options with the inputs' writer version, which tells readers how to read their statistics. */
    private static final class InputsWriterOptions extends OrcFile.WriterOptions {
        InputsWriterOptions(Configuration conf, OrcFile.WriterVersion version) {
            super(new Properties(), conf);
            writerVersion(version);
        }
    }
}
