package dev.filesink.formats.orc;

import dev.filesink.formats.bulk.RowDataValidator;
import dev.filesink.formats.bulk.BulkFileFormat;

import org.apache.flink.orc.OrcSplitReaderUtil;
import org.apache.flink.orc.vector.RowDataVectorizer;
import org.apache.flink.orc.vector.Vectorizer;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * ORC files ({@code .orc}) through flink-orc's {@link Vectorizer}: yours for your types, or the one for Flink
 * {@link RowData}. Options: compression, stripe size, and any ORC writer property ({@code orc.*}).
 *
 * <p>Each writer subtask builds the ORC writer options and Hadoop configuration once and reuses them for every part
 * file, so opening an ORC part file is cheap.
 */
public final class OrcFormat<T> extends BulkFileFormat<T, OrcFormat<T>> {

    private static final long serialVersionUID = 1L;

    final Vectorizer<T> vectorizer;
    final RowDataValidator rowDataValidator;
    OrcCompression compression = OrcCompression.ZLIB;
    final Map<String, String> properties = new LinkedHashMap<>();

    private OrcFormat(Vectorizer<T> vectorizer, RowDataValidator rowDataValidator) {
        this.vectorizer = vectorizer;
        this.rowDataValidator = rowDataValidator;
    }

    /** Your types, turned into ORC column vectors by your vectorizer (which also fixes the ORC schema). */
    public static <T> OrcFormat<T> forVectorizer(Vectorizer<T> vectorizer) {
        if (vectorizer == null) {
            throw new IllegalArgumentException("vectorizer must not be null");
        }
        return new OrcFormat<>(vectorizer, null);
    }

    /** Flink {@link RowData} of the given row type; the ORC schema is derived from it. */
    public static OrcFormat<RowData> forRowData(RowType rowType) {
        if (rowType == null) {
            throw new IllegalArgumentException("rowType must not be null");
        }
        String schema = OrcSplitReaderUtil.logicalTypeToOrcType(rowType).toString();
        LogicalType[] types = rowType.getChildren().toArray(new LogicalType[0]);
        return new OrcFormat<>(new RowDataVectorizer(schema, types), new RowDataValidator(rowType));
    }

    /** Stream compression (default ZLIB, ORC's default). */
    public OrcFormat<T> withCompression(OrcCompression compression) {
        if (compression == null) {
            throw new IllegalArgumentException("compression must not be null (use OrcCompression.NONE)");
        }
        this.compression = compression;
        return this;
    }

    /** An ORC writer property, e.g. {@code orc.stripe.size}, {@code orc.row.index.stride}, {@code orc.bloom.filter.columns}. */
    public OrcFormat<T> withProperty(String key, String value) {
        if (key == null || value == null) {
            throw new IllegalArgumentException("property key and value must not be null");
        }
        properties.put(key, value);
        return this;
    }

    public OrcFormat<T> withStripeSize(long bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("stripeSize must be positive, got " + bytes);
        }
        return withProperty("orc.stripe.size", Long.toString(bytes));
    }

    @Override
    public String suffix() {
        return ".orc";
    }

    @Override
    public OrcWriterFactory<T> writerFactory() {
        return new OrcWriterFactory<>(this);
    }

    Properties writerProperties() {
        Properties props = new Properties();
        props.putAll(properties);
        props.setProperty("orc.compress", compression.kind().name());
        return props;
    }
}
