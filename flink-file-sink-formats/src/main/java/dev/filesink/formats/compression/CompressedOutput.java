package dev.filesink.formats.compression;

import java.io.IOException;

/**
 * Where a row part file's bytes go: compressed in units (gzip members, zstd/lz4 frames...) that end at every persist,
 * so that the file truncated at any persisted length holds only whole units.
 */
public interface CompressedOutput {

    void write(byte[] bytes, int offset, int length) throws IOException;

    /**
     * Ends the current unit and writes everything given so far to the part file's stream: after this returns, the
     * stream's length is a readable file. Ending a unit with nothing written since the last one adds nothing.
     */
    void endUnit() throws IOException;

    /** Heap bytes this output holds for the part file (buffers, blocks in flight). */
    long bufferedBytes();

    /** Releases everything without writing more: the part file is being abandoned. */
    void discard();
}
