package dev.filesink.formats.compression;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes a part file as a sequence of compressed units: a unit starts with the first bytes after a persist and ends
 * at the next persist or when the file is finished. So truncating the file at any persisted length leaves only
 * whole units, which every standard decompressor reads.
 */
public final class CompressedUnits {

    private final OutputStream file;
    private final Compression compression;
    private final int level;
    private OutputStream unit;

    public CompressedUnits(OutputStream file, Compression compression, int level) {
        this.file = file;
        this.compression = compression;
        this.level = level;
    }

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
    public void endUnit() throws IOException {
        if (unit != null) {
            OutputStream ending = unit;
            unit = null;
            ending.close();
        }
    }
}
