package dev.filesink.formats.compression;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Inline compression: writes a part file as a sequence of compressed units on the caller's thread. A unit starts with
 * the first bytes after a persist and ends at the next persist or when the file is finished. So truncating the file
 * at any persisted length leaves only whole units, which every standard decompressor reads.
 *
 * @see ParallelCompressedBlocks for compression on a shared pool
 */
public final class CompressedUnits implements CompressedOutput {

    private final OutputStream file;
    private final Compression compression;
    private final int level;
    private OutputStream unit;

    public CompressedUnits(OutputStream file, Compression compression, int level) {
        this.file = file;
        this.compression = compression;
        this.level = level;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        if (compression == Compression.NONE) {
            file.write(bytes, offset, length);
            return;
        }
        if (unit == null) {
            unit = compression.startUnit(file, level);
        }
        unit.write(bytes, offset, length);
    }

    /** Ends the current unit, if any bytes were written since it started. */
    @Override
    public void endUnit() throws IOException {
        if (unit != null) {
            OutputStream ending = unit;
            unit = null;
            ending.close();
        }
    }

    @Override
    public long bufferedBytes() {
        return 0;
    }

    @Override
    public void discard() {
        // The compressor's memory is native and freed when it is collected; nothing more is written to the file.
        unit = null;
    }
}
