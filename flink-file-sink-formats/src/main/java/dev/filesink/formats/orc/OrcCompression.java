package dev.filesink.formats.orc;

import org.apache.orc.CompressionKind;

/**
 * ORC stream compression. ZSTD is not offered: flink-orc 2.3.0 is built on ORC 1.5.6, which has no ZSTD codec.
 */
public enum OrcCompression {
    NONE(CompressionKind.NONE),
    ZLIB(CompressionKind.ZLIB),
    SNAPPY(CompressionKind.SNAPPY),
    LZ4(CompressionKind.LZ4);

    private final CompressionKind kind;

    OrcCompression(CompressionKind kind) {
        this.kind = kind;
    }

    public CompressionKind kind() {
        return kind;
    }
}
