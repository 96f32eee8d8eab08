package dev.filesink.formats.parquet;

import dev.filesink.formats.avro.AvroDataModel;
import dev.filesink.formats.bulk.BulkFileFormat;

import org.apache.avro.Schema;
import org.apache.avro.reflect.ReflectData;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.RowType;
import org.apache.parquet.hadoop.ParquetWriter;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parquet files from Avro records (generic, specific, reflect) or Flink {@link RowData}. Options: page compression,
 * row group and page size, dictionary encoding, and any Parquet/Hadoop property.
 *
 * <p>Each writer subtask builds one Hadoop configuration and reuses it for every part file it opens, so opening a
 * Parquet part file does not parse Hadoop's XML defaults again.
 */
public final class ParquetFormat<T> extends BulkFileFormat<T, ParquetFormat<T>> {

    private static final long serialVersionUID = 1L;

    public static final long DEFAULT_ROW_GROUP_SIZE = ParquetWriter.DEFAULT_BLOCK_SIZE;
    public static final int DEFAULT_PAGE_SIZE = ParquetWriter.DEFAULT_PAGE_SIZE;

    final AvroDataModel dataModel;
    final String avroSchema;
    final RowType rowType;

    ParquetCodec codec = ParquetCodec.SNAPPY;
    Integer compressionLevel;
    long rowGroupSize = DEFAULT_ROW_GROUP_SIZE;
    int pageSize = DEFAULT_PAGE_SIZE;
    boolean dictionary = true;
    boolean utcTimestamps = true;
    boolean allowCompatibleSchemas;
    final Map<String, String> properties = new LinkedHashMap<>();

    private ParquetFormat(AvroDataModel dataModel, Schema avroSchema, RowType rowType) {
        this.dataModel = dataModel;
        this.avroSchema = avroSchema == null ? null : avroSchema.toString();
        this.rowType = rowType;
    }

    /** Avro generic records; each part file takes the schema of its first record (this one if none came). */
    public static ParquetFormat<org.apache.avro.generic.GenericRecord> forGenericRecords(Schema schema) {
        requireSchema(schema);
        return new ParquetFormat<>(AvroDataModel.GENERIC, schema, null);
    }

    /** Avro specific records (generated classes). */
    public static <T extends SpecificRecord> ParquetFormat<T> forSpecificRecords(Class<T> type) {
        return new ParquetFormat<>(AvroDataModel.SPECIFIC, SpecificData.get().getSchema(type), null);
    }

    /** Any Java class, through Avro reflection. */
    public static <T> ParquetFormat<T> forReflectRecords(Class<T> type) {
        return new ParquetFormat<>(AvroDataModel.REFLECT, ReflectData.get().getSchema(type), null);
    }

    /** Flink's {@link RowData} of the given row type. */
    public static ParquetFormat<RowData> forRowData(RowType rowType) {
        if (rowType == null) {
            throw new IllegalArgumentException("rowType must not be null");
        }
        return new ParquetFormat<>(null, null, rowType);
    }

    private static void requireSchema(Schema schema) {
        if (schema == null || schema.getType() != Schema.Type.RECORD) {
            throw new IllegalArgumentException("a Parquet schema must be an Avro record schema, got " + schema);
        }
    }

    /** Page compression (default SNAPPY). */
    public ParquetFormat<T> withCompression(ParquetCodec codec) {
        if (codec == null) {
            throw new IllegalArgumentException("codec must not be null (use ParquetCodec.NONE)");
        }
        this.codec = codec;
        return this;
    }

    /** Page compression with a level: ZSTD 1-22, GZIP 1-9. */
    public ParquetFormat<T> withCompression(ParquetCodec codec, int level) {
        withCompression(codec);
        if (codec == ParquetCodec.ZSTD && (level < 1 || level > 22)) {
            throw new IllegalArgumentException("Parquet ZSTD level must be in [1, 22], got " + level);
        }
        if (codec == ParquetCodec.GZIP && (level < 1 || level > 9)) {
            throw new IllegalArgumentException("Parquet GZIP level must be in [1, 9], got " + level);
        }
        if (codec != ParquetCodec.ZSTD && codec != ParquetCodec.GZIP) {
            throw new IllegalArgumentException("Parquet codec " + codec + " has no levels");
        }
        this.compressionLevel = level;
        return this;
    }

    /** Bytes buffered before a row group is written (default 128 MiB; rolls on checkpoint end it sooner). */
    public ParquetFormat<T> withRowGroupSize(long bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("rowGroupSize must be positive, got " + bytes);
        }
        this.rowGroupSize = bytes;
        return this;
    }

    public ParquetFormat<T> withPageSize(int bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("pageSize must be positive, got " + bytes);
        }
        this.pageSize = bytes;
        return this;
    }

    public ParquetFormat<T> withDictionary(boolean enabled) {
        this.dictionary = enabled;
        return this;
    }

    /** RowData only: TIMESTAMP values in UTC (default) or the local time zone (as Hive 1/2). */
    public ParquetFormat<T> withUtcTimestamps(boolean utc) {
        this.utcTimestamps = utc;
        return this;
    }

    /** A Parquet or Hadoop configuration property, e.g. {@code parquet.avro.write-old-list-structure}. */
    public ParquetFormat<T> withProperty(String key, String value) {
        if (key == null || value == null) {
            throw new IllegalArgumentException("property key and value must not be null");
        }
        properties.put(key, value);
        return this;
    }

    /**
     * Avro records whose schema the open file's schema can read without losing a field (an added field with a
     * default, a promoted number) go into that file, converted; other schema changes roll to a new part file.
     */
    public ParquetFormat<T> withCompatibleSchemas() {
        this.allowCompatibleSchemas = true;
        return this;
    }

    @Override
    public String suffix() {
        return ".parquet";
    }

    /** The factory to hand to {@code FileSink.forBulkFormat}. */
    @Override
    public ParquetWriterFactory<T> writerFactory() {
        return new ParquetWriterFactory<>(this);
    }
}
