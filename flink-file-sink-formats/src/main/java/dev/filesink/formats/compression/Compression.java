package dev.filesink.formats.compression;

import com.github.luben.zstd.RecyclingBufferPool;
import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import net.jpountz.lz4.LZ4FrameOutputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.xerial.snappy.SnappyFramedOutputStream;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * The compressions of row formats. Each writes a self-contained unit (a gzip member, a zstd or lz4 frame, a snappy
 * framed stream, a bzip2 stream) that standard tools read, also when several units are concatenated in one file:
 * that is how a part file that spans checkpoints stays readable at every persisted length.
 */
public enum Compression {
    NONE("", 0, 0, 0),
    GZIP(".gz", Deflater.DEFAULT_COMPRESSION, Deflater.BEST_SPEED, Deflater.BEST_COMPRESSION),
    ZSTD(".zst", 3, 1, 22),
    SNAPPY(".sz", 0, 0, 0),
    LZ4(".lz4", 0, 0, 0),
    BZIP2(".bz2", 9, 1, 9);

    private static final int GZIP_BUFFER = 64 * 1024;
    private static final int NATIVE_CALL_BATCH = 64 * 1024;

    private final String extension;
    private final int defaultLevel;
    private final int minLevel;
    private final int maxLevel;

    Compression(String extension, int defaultLevel, int minLevel, int maxLevel) {
        this.extension = extension;
        this.defaultLevel = defaultLevel;
        this.minLevel = minLevel;
        this.maxLevel = maxLevel;
    }

    /** The file name extension, with its dot ({@code ".gz"}); empty for {@link #NONE}. */
    public String extension() {
        return extension;
    }

    public int defaultLevel() {
        return defaultLevel;
    }

    /** Whether the codec has compression levels ({@link #withLevelCheck}). */
    public boolean hasLevels() {
        return minLevel != maxLevel;
    }

    /** Checks a level for this codec and returns it; throws naming the codec and the valid range. */
    public int withLevelCheck(int level) {
        if (!hasLevels()) {
            throw new IllegalArgumentException("compression " + this + " has no levels, got level " + level);
        }
        boolean gzipDefault = this == GZIP && level == Deflater.DEFAULT_COMPRESSION;
        if (!gzipDefault && (level < minLevel || level > maxLevel)) {
            throw new IllegalArgumentException("compression level for " + this + " must be in [" + minLevel + ", "
                    + maxLevel + "], got " + level);
        }
        return level;
    }

    /**
     * Starts one compressed unit on {@code out}. Closing the returned stream ends the unit but leaves {@code out}
     * open.
     */
    public OutputStream startUnit(OutputStream out, int level) throws IOException {
        OutputStream target = new NonClosingOutputStream(out);
        switch (this) {
            case NONE:
                return target;
            case GZIP:
                // Records are small: gather them so that the native compressor is called per 64 KiB, not per record.
                return new BufferedOutputStream(new LeveledGzipOutputStream(target, level), NATIVE_CALL_BATCH);
            case ZSTD:
                ZstdOutputStreamNoFinalizer zstd = new ZstdOutputStreamNoFinalizer(target, RecyclingBufferPool.INSTANCE);
                zstd.setLevel(level);
                zstd.setChecksum(true);
                return new BufferedOutputStream(zstd, NATIVE_CALL_BATCH);
            case SNAPPY:
                return new SnappyFramedOutputStream(target);
            case LZ4:
                return new LZ4FrameOutputStream(target, LZ4FrameOutputStream.BLOCKSIZE.SIZE_64KB);
            case BZIP2:
                return new BZip2CompressorOutputStream(target, level);
            default:
                throw new IllegalStateException("Unknown compression " + this);
        }
    }

    /** Gzip with a chosen level and a large enough buffer that a record costs no native call. */
    private static final class LeveledGzipOutputStream extends GZIPOutputStream {
        LeveledGzipOutputStream(OutputStream out, int level) throws IOException {
            super(out, GZIP_BUFFER);
            def.setLevel(level);
        }

        @Override
        public void close() throws IOException {
            try {
                super.close();
            } finally {
                def.end();
            }
        }
    }
}
