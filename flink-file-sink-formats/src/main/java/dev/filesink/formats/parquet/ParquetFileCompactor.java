package dev.filesink.formats.parquet;

import dev.filesink.compaction.MergeKeys;
import dev.filesink.formats.bulk.PositionedOutputStream;

import org.apache.flink.connector.file.sink.compactor.OutputStreamBasedFileCompactor;
import org.apache.flink.core.fs.Path;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.metadata.FileMetaData;
import org.apache.parquet.schema.MessageType;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Compacts Parquet files without decoding a value: the inputs' row groups are copied as they are (Parquet's
 * {@code ParquetFileWriter.appendRowGroups}) under one footer. Only files of one schema and footer metadata (which
 * holds e.g. the Avro schema Parquet readers use) are merged: with {@code dev.filesink.FileSink} the sink compacts
 * each such kind into its own file ({@link MergeKeys}); given files that differ (e.g. by Flink's own sink), it fails,
 * naming them.
 *
 * <pre>{@code
 * FileSink.forBulkFormat(path, Formats.parquet(schema).writerFactory())
 *         .enableCompact(strategy, new ParquetFileCompactor())
 * }</pre>
 *
 * <p>The compacted file has as many row groups as its inputs together (small ones, as the inputs were). Column and
 * offset indexes and bloom filters of the inputs are not carried over (Parquet's row group copy drops them).
 */
public final class ParquetFileCompactor extends OutputStreamBasedFileCompactor implements MergeKeys {

    private static final long serialVersionUID = 1L;

    @Override
    public String mergeKey(Path input) throws IOException {
        try (ParquetFileReader reader = open(input)) {
            return kindOf(reader).toString();
        }
    }

    @Override
    protected void doCompact(List<Path> inputs, OutputStream out) throws Exception {
        ParquetFileWriter writer = null;
        Kind kind = null;
        for (Path input : inputs) {
            try (ParquetFileReader reader = open(input)) {
                Kind inputKind = kindOf(reader);
                if (writer == null) {
                    kind = inputKind;
                    // Row groups are copied, so their size setting is unused; no padding: nothing is aligned to blocks.
                    writer = new ParquetFileWriter(new StreamOutputFile(new PositionedOutputStream(out)),
                            kind.schema(), ParquetFileWriter.Mode.CREATE, ParquetFormat.DEFAULT_ROW_GROUP_SIZE, 0);
                    writer.start();
                } else if (!kind.equals(inputKind)) {
                    throw new IOException("Cannot merge Parquet file '" + input + "' with '" + inputs.get(0)
                            + "' without decoding them: " + kind.difference(inputKind));
                }
                reader.appendTo(writer);
            }
        }
        if (writer != null) {
            writer.end(kind.keyValueMetadata());
        }
    }

    /** Reads the footer; options without Hadoop's configuration, whose XML defaults would be parsed per file. */
    private static ParquetFileReader open(Path input) throws IOException {
        return ParquetFileReader.open(new FlinkInputFile(input),
                ParquetReadOptions.builder(new PlainParquetConfiguration()).build());
    }

    private static Kind kindOf(ParquetFileReader reader) {
        FileMetaData metadata = reader.getFooter().getFileMetaData();
        return new Kind(metadata.getSchema(), new TreeMap<>(metadata.getKeyValueMetaData()));
    }

    /** What decides whether two Parquet files can share one footer. */
    private record Kind(MessageType schema, Map<String, String> keyValueMetadata) {

        String difference(Kind other) {
            if (!schema.equals(other.schema)) {
                return "their schemas differ (" + schema.getName() + " and " + other.schema.getName() + ")";
            }
            return "their footer metadata differ (" + keyValueMetadata.keySet() + " and "
                    + other.keyValueMetadata.keySet() + ")";
        }

        @Override
        public String toString() {
            return "parquet " + schema + " " + keyValueMetadata;
        }
    }
}
