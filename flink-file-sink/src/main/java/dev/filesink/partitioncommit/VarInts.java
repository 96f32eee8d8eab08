package dev.filesink.partitioncommit;

import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;

/**
 * Variable-length numbers (7 bits a byte) for the compact entries of announced partitions: small counts take one
 * byte instead of eight, which keeps the state of years of partitions small.
 */
final class VarInts {

    private VarInts() {}

    /** A number that is never negative. */
    static void writeUnsigned(DataOutputView out, long value) throws IOException {
        if (value < 0) {
            throw new IllegalArgumentException("negative value " + value);
        }
        while ((value & ~0x7FL) != 0) {
            out.writeByte((int) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        out.writeByte((int) value);
    }

    static long readUnsigned(DataInputView in) throws IOException {
        long value = 0;
        for (int shift = 0; shift < 63; shift += 7) {
            int b = in.readUnsignedByte();
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IOException("Corrupt partition committer state: variable-length number too long");
    }

    /** Any number; small magnitudes, negative or not, take few bytes (zigzag). */
    static void writeSigned(DataOutputView out, long value) throws IOException {
        long zigzag = (value << 1) ^ (value >> 63);
        while ((zigzag & ~0x7FL) != 0) {
            out.writeByte((int) ((zigzag & 0x7F) | 0x80));
            zigzag >>>= 7;
        }
        out.writeByte((int) zigzag);
    }

    static long readSigned(DataInputView in) throws IOException {
        long zigzag = 0;
        for (int shift = 0; shift < 70; shift += 7) {
            int b = in.readUnsignedByte();
            zigzag |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return (zigzag >>> 1) ^ -(zigzag & 1);
            }
        }
        throw new IOException("Corrupt partition committer state: variable-length number too long");
    }
}
