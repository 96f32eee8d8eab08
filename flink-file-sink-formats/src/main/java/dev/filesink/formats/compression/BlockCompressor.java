package dev.filesink.formats.compression;

import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Compresses one block into one self-contained unit (a gzip member, a zstd or lz4 frame, a snappy framed stream, a
 * bzip2 stream), so that blocks compressed independently and concatenated in order form a valid file. Called on
 * compression threads (and on the task thread when the pool is saturated); holds no state of its own.
 */
abstract class BlockCompressor {

    abstract void compress(CompressionBlock block) throws IOException;

    static BlockCompressor of(Compression compression, int level) {
        return compression == Compression.GZIP ? new Gzip(level) : new Streamed(compression, level);
    }

    /**
     * A gzip member written directly with a raw {@link Deflater} that each thread keeps per level: no stream, no
     * buffer, no native compressor set up per block.
     */
    static final class Gzip extends BlockCompressor {

        private static final int OS_UNKNOWN = 255;
        /** Deflaters of this thread, by level + 1 (level -1 is zlib's default, 6). */
        private static final ThreadLocal<Deflater[]> DEFLATERS = ThreadLocal.withInitial(() -> new Deflater[11]);
        private static final ThreadLocal<CRC32> CRCS = ThreadLocal.withInitial(CRC32::new);

        private final int level;

        Gzip(int level) {
            this.level = level;
        }

        @Override
        void compress(CompressionBlock block) {
            Deflater deflater = deflater();
            CRC32 crc = CRCS.get();
            crc.reset();
            crc.update(block.input, 0, block.length);

            block.outputLength = 0;
            // Deflate's worst case is a little above the input; JSON and CSV usually shrink 4-10x.
            block.growOutput(block.length / 3 + 64);
            byte[] header = {0x1f, (byte) 0x8b, Deflater.DEFLATED, 0, 0, 0, 0, 0, 0, (byte) OS_UNKNOWN};
            System.arraycopy(header, 0, block.output, 0, header.length);
            block.outputLength = header.length;

            deflater.setInput(block.input, 0, block.length);
            deflater.finish();
            while (!deflater.finished()) {
                if (block.outputLength == block.output.length) {
                    block.growOutput(Math.max(4096, block.output.length / 2));
                }
                block.outputLength += deflater.deflate(
                        block.output, block.outputLength, block.output.length - block.outputLength);
            }
            deflater.reset();

            block.growOutput(8);
            writeIntLittleEndian(block, (int) crc.getValue());
            writeIntLittleEndian(block, block.length);
        }

        private Deflater deflater() {
            Deflater[] mine = DEFLATERS.get();
            Deflater deflater = mine[level + 1];
            if (deflater == null) {
                deflater = new Deflater(level, true);
                mine[level + 1] = deflater;
            }
            return deflater;
        }

        private static void writeIntLittleEndian(CompressionBlock block, int value) {
            byte[] out = block.output;
            int at = block.outputLength;
            out[at] = (byte) value;
            out[at + 1] = (byte) (value >>> 8);
            out[at + 2] = (byte) (value >>> 16);
            out[at + 3] = (byte) (value >>> 24);
            block.outputLength = at + 4;
        }
    }

    /** Any other codec: its own stream ({@link Compression#startUnit}) over the block's output array. */
    static final class Streamed extends BlockCompressor {

        private final Compression compression;
        private final int level;

        Streamed(Compression compression, int level) {
            this.compression = compression;
            this.level = level;
        }

        @Override
        void compress(CompressionBlock block) throws IOException {
            block.outputLength = 0;
            try (OutputStream unit = compression.startUnit(new BlockOutput(block), level)) {
                unit.write(block.input, 0, block.length);
            }
        }
    }

    /** Appends to a block's output array. */
    private static final class BlockOutput extends OutputStream {

        private final CompressionBlock block;

        BlockOutput(CompressionBlock block) {
            this.block = block;
        }

        @Override
        public void write(int b) {
            block.growOutput(1);
            block.output[block.outputLength++] = (byte) b;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            block.growOutput(length);
            System.arraycopy(bytes, offset, block.output, block.outputLength, length);
            block.outputLength += length;
        }
    }
}
