package dev.filesink.formats.compression;

import java.util.Arrays;

/**
 * One block of a part file: the uncompressed bytes the task thread gathered, and, once a compression thread is done
 * with it, the compressed unit that goes into the file. Blocks are recycled by their part file, so the arrays grow to
 * the block size once and are reused.
 */
final class CompressionBlock {

    private static final int INITIAL_CAPACITY = 16 * 1024;

    /** Position of the block in its part file (from 0), for messages. */
    long sequence;

    byte[] input = new byte[0];
    int length;

    byte[] output = new byte[0];
    int outputLength;

    /** Appends up to {@code length} bytes, without growing past {@code blockSize}; returns how many it took. */
    int fill(byte[] bytes, int offset, int length, int blockSize) {
        int take = Math.min(length, blockSize - this.length);
        if (this.length + take > input.length) {
            input = Arrays.copyOf(input, Math.min(blockSize, Math.max(INITIAL_CAPACITY,
                    Math.max(input.length * 2, this.length + take))));
        }
        System.arraycopy(bytes, offset, input, this.length, take);
        this.length += take;
        return take;
    }

    /** Makes room for at least {@code extra} more output bytes. */
    void growOutput(int extra) {
        if (outputLength + extra > output.length) {
            output = Arrays.copyOf(output, Math.max(output.length * 2, outputLength + extra));
        }
    }

    void clear() {
        length = 0;
        outputLength = 0;
    }

    long capacity() {
        return input.length + output.length;
    }
}
