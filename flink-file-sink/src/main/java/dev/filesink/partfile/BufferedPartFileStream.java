package dev.filesink.partfile;

import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.core.fs.RecoverableFsDataOutputStream;
import org.apache.flink.core.fs.RecoverableWriter;

import java.io.IOException;

/**
 * Buffers writes to an in-progress part file, so that a record costs a copy into memory and not a system call
 * (Flink's own FileSink hands encoders the unbuffered stream). Tracks the position itself, because asking the
 * underlying stream may itself be a system call.
 *
 * <p>{@link #close()} only drains the buffer: formats may close the stream they are given, but the part file's life
 * is ended by {@link #closeForCommit()} or {@link #discard()}.
 */
public final class BufferedPartFileStream extends FSDataOutputStream {

    private final RecoverableFsDataOutputStream out;
    private final byte[] buffer;
    private int count;
    private long position;

    public BufferedPartFileStream(RecoverableFsDataOutputStream out, int bufferSize) throws IOException {
        this.out = out;
        this.buffer = new byte[bufferSize];
        this.position = out.getPos();
    }

    @Override
    public void write(int b) throws IOException {
        if (count == buffer.length) {
            drain();
        }
        buffer[count++] = (byte) b;
        position++;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        if (length >= buffer.length) {
            drain();
            out.write(bytes, offset, length);
        } else {
            if (length > buffer.length - count) {
                drain();
            }
            System.arraycopy(bytes, offset, buffer, count, length);
            count += length;
        }
        position += length;
    }

    @Override
    public long getPos() {
        return position;
    }

    /** The storage's stream below the buffer, asked for its optional hooks (roll requests, memory). */
    RecoverableFsDataOutputStream storageStream() {
        return out;
    }

    /** The size of the write buffer, allocated for the whole life of the part file. */
    public int bufferCapacity() {
        return buffer.length;
    }

    @Override
    public void flush() throws IOException {
        drain();
        out.flush();
    }

    @Override
    public void sync() throws IOException {
        drain();
        out.sync();
    }

    @Override
    public void close() throws IOException {
        drain();
    }

    /** Makes everything written so far durable and returns the handle to resume from. */
    public RecoverableWriter.ResumeRecoverable persist() throws IOException {
        drain();
        return out.persist();
    }

    public RecoverableFsDataOutputStream.Committer closeForCommit() throws IOException {
        drain();
        return out.closeForCommit();
    }

    /** Releases the part file's resources without committing it. */
    public void discard() throws IOException {
        count = 0;
        out.close();
    }

    /**
     * Discards after {@code failure}, which the caller then throws: a second failure while discarding is added to
     * it as suppressed, so it never hides the first.
     */
    public void discardAfter(Throwable failure) {
        try {
            discard();
        } catch (IOException | RuntimeException cleanupFailure) {
            failure.addSuppressed(cleanupFailure);
        }
    }

    private void drain() throws IOException {
        if (count > 0) {
            out.write(buffer, 0, count);
            count = 0;
        }
    }
}
