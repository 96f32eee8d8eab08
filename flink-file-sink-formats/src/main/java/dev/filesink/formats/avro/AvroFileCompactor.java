package dev.filesink.formats.avro;

import dev.filesink.compaction.MergeKeys;

import org.apache.avro.Schema;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileConstants;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.flink.connector.file.sink.compactor.OutputStreamBasedFileCompactor;
import org.apache.flink.core.fs.Path;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Compacts Avro container files without decoding a record: the inputs' data blocks are copied as they are
 * (Avro's {@code DataFileWriter.appendAllFrom} without recompression) behind one header. Only files of one schema,
 * codec and user metadata are merged: with {@code dev.filesink.FileSink} the sink compacts each such kind into its
 * own file ({@link MergeKeys}); given files that differ (e.g. by Flink's own sink), it fails, naming them.
 *
 * <pre>{@code
 * FileSink.forBulkFormat(path, Formats.avro(schema).writerFactory())
 *         .enableCompact(strategy, new AvroFileCompactor())
 * }</pre>
 *
 * <p>Avro does not record an xz file's level; xz blocks written at a level other than 6 (xz's default) are
 * decompressed and compressed again at 6 (records are still not decoded). Every other codec is copied byte for byte.
 */
public final class AvroFileCompactor extends OutputStreamBasedFileCompactor implements MergeKeys {

    private static final long serialVersionUID = 1L;

    @Override
    public String mergeKey(Path input) throws IOException {
        try (DataFileStream<Object> stream = open(input)) {
            return kindOf(stream).toString();
        }
    }

    @Override
    protected void doCompact(List<Path> inputs, OutputStream out) throws Exception {
        // Nothing to release on failure: the writer only buffers, and the sink discards the half-written output.
        DataFileWriter<Object> writer = null;
        Kind kind = null;
        for (Path input : inputs) {
            try (DataFileStream<Object> stream = open(input)) {
                Kind inputKind = kindOf(stream);
                if (writer == null) {
                    kind = inputKind;
                    writer = create(inputKind, out);
                } else if (!kind.equals(inputKind)) {
                    throw new IOException("Cannot merge Avro file '" + input + "' with '" + inputs.get(0)
                            + "' without decoding them: " + kind.difference(inputKind));
                }
                writer.appendAllFrom(stream, false);
            }
        }
        if (writer != null) {
            writer.close(); // the stream given to a compactor is shielded: this only flushes
        }
    }

    private static DataFileStream<Object> open(Path input) throws IOException {
        return new DataFileStream<>(input.getFileSystem().open(input), new GenericDatumReader<>());
    }

    private static DataFileWriter<Object> create(Kind kind, OutputStream out) throws IOException {
        DataFileWriter<Object> writer = new DataFileWriter<>(new GenericDatumWriter<>());
        // Avro copies blocks raw when the codecs are equal; its codecs compare by name (xz: and level).
        writer.setCodec(CodecFactory.fromString(kind.codec()));
        for (Map.Entry<String, ByteBuffer> entry : kind.userMetadata().entrySet()) {
            writer.setMeta(entry.getKey(), entry.getValue().array());
        }
        return writer.create(kind.schema(), out);
    }

    private static Kind kindOf(DataFileStream<Object> stream) {
        String codec = stream.getMetaString(DataFileConstants.CODEC);
        Map<String, ByteBuffer> metadata = new TreeMap<>();
        for (String key : stream.getMetaKeys()) {
            if (!key.startsWith("avro.")) {
                metadata.put(key, ByteBuffer.wrap(stream.getMeta(key)));
            }
        }
        return new Kind(stream.getSchema(), codec == null ? DataFileConstants.NULL_CODEC : codec, metadata);
    }

    /** What decides whether two container files can share one header. */
    private record Kind(Schema schema, String codec, Map<String, ByteBuffer> userMetadata) {

        String difference(Kind other) {
            if (!schema.equals(other.schema)) {
                return "their schemas differ (" + schema.getFullName() + " and " + other.schema.getFullName() + ")";
            }
            if (!codec.equals(other.codec)) {
                return "their codecs differ (" + codec + " and " + other.codec + ")";
            }
            return "their metadata differ (" + userMetadata.keySet() + " and " + other.userMetadata.keySet() + ")";
        }

        @Override
        public String toString() {
            StringBuilder key = new StringBuilder("avro ").append(codec).append(' ').append(schema);
            userMetadata.forEach((name, value) -> key.append(' ').append(name).append('=')
                    .append(Base64.getEncoder().encodeToString(value.array())));
            return key.toString();
        }
    }
}
