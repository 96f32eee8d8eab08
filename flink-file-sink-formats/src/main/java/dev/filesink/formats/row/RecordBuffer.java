package dev.filesink.formats.row;

import java.io.OutputStream;
import java.util.Arrays;

/** A growable byte buffer that one record is encoded into before any of it is written to the part file. */
public final class RecordBuffer extends OutputStream {

    private static final int SHRINK_ABOVE = 1 << 20;

    private byte[] bytes = new byte[256];
    private int size;

    @Override
    public void write(int b) {
        ensure(1);
        bytes[size++] = (byte) b;
    }

    @Override
    public void write(byte[] source, int offset, int length) {
        ensure(length);
        System.arraycopy(source, offset, bytes, size, length);
        size += length;
    }

    public void write(byte[] source) {
        write(source, 0, source.length);
    }

    /** Appends a 4-byte big-endian int. */
    public void writeInt(int value) {
        ensure(4);
        bytes[size++] = (byte) (value >>> 24);
        bytes[size++] = (byte) (value >>> 16);
        bytes[size++] = (byte) (value >>> 8);
        bytes[size++] = (byte) value;
    }

    public byte[] array() {
        return bytes;
    }

    public int size() {
        return size;
    }

    public int capacity() {
        return bytes.length;
    }

    /** Empties the buffer; gives back memory a single huge record made it take. */
    public void reset() {
        size = 0;
        if (bytes.length > SHRINK_ABOVE) {
            bytes = new byte[256];
        }
    }

    private void ensure(int extra) {
        if (size + extra > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + extra));
        }
    }
}
