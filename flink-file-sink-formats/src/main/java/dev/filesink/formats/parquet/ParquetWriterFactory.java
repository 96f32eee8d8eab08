package dev.filesink.formats.parquet;

import dev.filesink.formats.bulk.JobClassPath;
import dev.filesink.formats.avro.AvroRecordValidator;
import dev.filesink.formats.bulk.FormatBulkWriter;
import dev.filesink.formats.bulk.FormatWriterFactory;
import dev.filesink.formats.bulk.RowDataValidator;
import dev.filesink.partfile.PartFileContext;

import org.apache.avro.Schema;
import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.hadoop.conf.Configuration;

import java.io.IOException;
import java.util.Map;

/**
 * Creates Parquet writers for part files. Holds what every writer of a subtask shares, built once per subtask (the
 * factory is deserialized once per subtask): the Hadoop configuration (without re-reading Hadoop's XML defaults),
 * the compressors, the parsed default schema, the validators.
 */
public final class ParquetWriterFactory<T> implements FormatWriterFactory<T> {

    private static final long serialVersionUID = 1L;

    private final ParquetFormat<T> format;
    private final AvroRecordValidator avroValidator;
    private final RowDataValidator rowDataValidator;

    private transient Configuration configuration;
    private transient SharedCodecFactory codecs;
    private transient Schema defaultSchema;

    ParquetWriterFactory(ParquetFormat<T> format) {
        JobClassPath.require("Parquet", JobClassPath.FLINK_TABLE_TYPES, JobClassPath.HADOOP_CLIENT);
        this.format = format;
        this.avroValidator = format.dataModel == null ? null : new AvroRecordValidator(format.dataModel);
        this.rowDataValidator = format.rowType == null ? null : new RowDataValidator(format.rowType);
    }

    @Override
    public FormatBulkWriter<T> create(FSDataOutputStream out, PartFileContext where) throws IOException {
        if (configuration == null) {
            configuration = configuration(format);
            codecs = new SharedCodecFactory(configuration, format.pageSize);
            defaultSchema = format.avroSchema == null ? null : new Schema.Parser().parse(format.avroSchema);
        }
        return new ParquetPartWriter<>(this, out, where);
    }

    ParquetFormat<T> format() {
        return format;
    }

    Configuration configuration() {
        return configuration;
    }

    SharedCodecFactory codecs() {
        return codecs;
    }

    Schema defaultSchema() {
        return defaultSchema;
    }

    AvroRecordValidator avroValidator() {
        return avroValidator;
    }

    RowDataValidator rowDataValidator() {
        return rowDataValidator;
    }

    /** A configuration without Hadoop's XML defaults (Parquet has its own), plus the format's properties. */
    private static Configuration configuration(ParquetFormat<?> format) {
        Configuration conf = new Configuration(false);
        if (format.compressionLevel != null) {
            conf.setInt("parquet.compression.codec.zstd.level", format.compressionLevel);
            conf.setInt("zlib.compress.level", format.compressionLevel);
        }
        for (Map.Entry<String, String> property : format.properties.entrySet()) {
            conf.set(property.getKey(), property.getValue());
        }
        return conf;
    }
}
