package dev.filesink.formats.parquet;

import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/** Parquet page compression. {@link #LZ4} is Parquet's LZ4_RAW (the spec's LZ4; the older Hadoop-framed one is deprecated). */
public enum ParquetCodec {
    NONE(CompressionCodecName.UNCOMPRESSED),
    SNAPPY(CompressionCodecName.SNAPPY),
    GZIP(CompressionCodecName.GZIP),
    ZSTD(CompressionCodecName.ZSTD),
    LZ4(CompressionCodecName.LZ4_RAW);

    private final CompressionCodecName parquetName;

    ParquetCodec(CompressionCodecName parquetName) {
        this.parquetName = parquetName;
    }

    public CompressionCodecName parquetName() {
        return parquetName;
    }
}
