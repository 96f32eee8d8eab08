package dev.filesink.formats.bulk;

import org.apache.flink.core.fs.FSDataOutputStream;

import java.io.IOException;
import java.io.OutputStream;

/**
 * The output stream Flink gives a compactor, seen as the start of a file: bulk format writers need the position
 * they write at, and a compactor's output is a new file, so the position is what went through this stream.
 */
public final class PositionedOutputStream extends FSDataOutputStream {

    private final OutputStream out;
    private long pos;

    public PositionedOutputStream(OutputStream out) {
        this.out = out;
    }

    @Override
    public long getPos() {
        return pos;
    }

    @Override
    public void write(int b) throws IOException {
        out.write(b);
        pos++;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        out.write(bytes, offset, length);
        pos += length;
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void sync() throws IOException {
        out.flush();
    }

    /** Flushes only: the compactor's caller owns the stream. */
    @Override
    public void close() throws IOException {
        out.flush();
    }
}
