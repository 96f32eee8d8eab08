package dev.filesink.formats.avro;

import dev.filesink.formats.bulk.BulkFileFormat;

import org.apache.avro.Schema;
import org.apache.avro.file.DataFileConstants;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.reflect.ReflectData;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Avro container files ({@code .avro}) of generic, specific or reflect records, with a block codec, sync interval
 * and file metadata. Each part file takes the schema of its first record.
 */
public final class AvroFormat<T> extends BulkFileFormat<T, AvroFormat<T>> {

    private static final long serialVersionUID = 1L;

    final AvroDataModel dataModel;
    final String schema;
    AvroCodec codec = AvroCodec.snappy();
    int syncInterval = DataFileConstants.DEFAULT_SYNC_INTERVAL;
    boolean allowCompatibleSchemas;
    final Map<String, String> metadata = new LinkedHashMap<>();

    private AvroFormat(AvroDataModel dataModel, Schema schema) {
        this.dataModel = dataModel;
        this.schema = schema.toString();
    }

    public static AvroFormat<GenericRecord> forGenericRecords(Schema schema) {
        if (schema == null) {
            throw new IllegalArgumentException("schema must not be null");
        }
        return new AvroFormat<>(AvroDataModel.GENERIC, schema);
    }

    public static <T extends SpecificRecord> AvroFormat<T> forSpecificRecords(Class<T> type) {
        return new AvroFormat<>(AvroDataModel.SPECIFIC, SpecificData.get().getSchema(type));
    }

    public static <T> AvroFormat<T> forReflectRecords(Class<T> type) {
        return new AvroFormat<>(AvroDataModel.REFLECT, ReflectData.get().getSchema(type));
    }

    /** Block codec (default snappy): {@code AvroCodec.deflate(6)}, {@code zstd(3)}, {@code xz(6)}... */
    public AvroFormat<T> withCodec(AvroCodec codec) {
        if (codec == null) {
            throw new IllegalArgumentException("codec must not be null (use AvroCodec.none())");
        }
        this.codec = codec;
        return this;
    }

    /** Approximate bytes per block (default 64 KiB). */
    public AvroFormat<T> withSyncInterval(int bytes) {
        if (bytes < 32 || bytes > (1 << 30)) {
            throw new IllegalArgumentException("syncInterval must be in [32, 2^30], got " + bytes);
        }
        this.syncInterval = bytes;
        return this;
    }

    /** A key-value pair in every file's header (keys starting with "avro." are reserved). */
    public AvroFormat<T> withMetadata(String key, String value) {
        if (key == null || key.startsWith("avro.")) {
            throw new IllegalArgumentException("metadata key must not be null or start with 'avro.', got " + key);
        }
        metadata.put(key, value);
        return this;
    }

    /** See {@code ParquetFormat.withCompatibleSchemas()}. */
    public AvroFormat<T> withCompatibleSchemas() {
        this.allowCompatibleSchemas = true;
        return this;
    }

    @Override
    public String suffix() {
        return ".avro";
    }

    @Override
    public AvroWriterFactory<T> writerFactory() {
        return new AvroWriterFactory<>(this);
    }
}
