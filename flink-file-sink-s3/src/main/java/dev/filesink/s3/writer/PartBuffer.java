package dev.filesink.s3.writer;

import software.amazon.awssdk.http.ContentStreamProvider;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The bytes of one part (or a tail) on their way to S3: chunks from the writer's {@link BufferPool} while the budget
 * lasts, then a local spill file. Written by the task thread, then handed to an upload thread, which reads it (more
 * than once if the request is retried) and releases it.
 */
final class PartBuffer {

    private static final int SPILL_STREAM_BUFFER = 64 * 1024;

    private final BufferPool pool;
    private final Path spillDirectory;
    private final List<byte[]> chunks = new ArrayList<>();
    private int lastChunkFill;
    private long size;

    private Path spillFile;
    private OutputStream spillOut;
    private boolean released;

    PartBuffer(BufferPool pool, Path spillDirectory) {
        this.pool = pool;
        this.spillDirectory = spillDirectory;
    }

    long size() {
        return size;
    }

    boolean isSpilled() {
        return spillFile != null;
    }

    void write(byte[] bytes, int offset, int length) throws IOException {
        size += length;
        if (spillOut != null) {
            spillOut.write(bytes, offset, length);
            return;
        }
        while (length > 0) {
            if (chunks.isEmpty() || lastChunkFill == pool.chunkSize()) {
                byte[] chunk = pool.tryAcquire();
                if (chunk == null) {
                    spill();
                    spillOut.write(bytes, offset, length);
                    return;
                }
                chunks.add(chunk);
                lastChunkFill = 0;
            }
            byte[] chunk = chunks.get(chunks.size() - 1);
            int n = Math.min(length, chunk.length - lastChunkFill);
            System.arraycopy(bytes, offset, chunk, lastChunkFill, n);
            lastChunkFill += n;
            offset += n;
            length -= n;
        }
    }

    /** Moves what is buffered so far into a spill file and gives the chunks back; later writes go to the file. */
    private void spill() throws IOException {
        spillFile = Files.createTempFile(spillDirectory, "filesink-s3-part-", ".spill");
        spillOut = new BufferedOutputStream(Files.newOutputStream(spillFile), SPILL_STREAM_BUFFER);
        for (int i = 0; i < chunks.size(); i++) {
            byte[] chunk = chunks.get(i);
            spillOut.write(chunk, 0, i == chunks.size() - 1 ? lastChunkFill : chunk.length);
            pool.release(chunk);
        }
        chunks.clear();
        lastChunkFill = 0;
    }

    /** Ends writing: a spill file is flushed and closed, so it can be read. */
    void seal() throws IOException {
        if (spillOut != null) {
            spillOut.close();
            spillOut = null;
        }
    }

    /**
     * The content written so far, as often as the SDK asks for it (retries re-read from the start). Later writes
     * are not part of it; the buffer must not be written to while the content is read.
     */
    ContentStreamProvider body() throws IOException {
        long length = size;
        if (spillFile != null) {
            if (spillOut != null) {
                spillOut.flush();
            }
            return () -> {
                try {
                    return new BoundedInputStream(Files.newInputStream(spillFile), length);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            };
        }
        return () -> new ChunksInputStream(chunks, length);
    }

    /**
     * A sealed copy of the content so far, from the same budget (or spilled), for a request that runs while this
     * buffer keeps being written (a tail staged at a checkpoint).
     */
    PartBuffer copy() throws IOException {
        PartBuffer copy = new PartBuffer(pool, spillDirectory);
        try (InputStream in = body().newStream()) {
            byte[] block = new byte[(int) Math.min(Math.max(size, 1), pool.chunkSize())];
            for (int n; (n = in.read(block)) > 0; ) {
                copy.write(block, 0, n);
            }
            copy.seal();
        } catch (IOException | RuntimeException e) {
            copy.release();
            throw e;
        }
        return copy;
    }

    byte[] toByteArray() throws IOException {
        if (size > Integer.MAX_VALUE - 16) {
            throw new IOException("Part buffer too large for an array: " + size);
        }
        try (InputStream in = body().newStream()) {
            return in.readAllBytes();
        }
    }

    /** Gives the memory back and deletes the spill file; idempotent. */
    synchronized void release() {
        if (released) {
            return;
        }
        released = true;
        for (byte[] chunk : chunks) {
            pool.release(chunk);
        }
        chunks.clear();
        if (spillFile != null) {
            try {
                if (spillOut != null) {
                    spillOut.close();
                }
                Files.deleteIfExists(spillFile);
            } catch (IOException ignored) {
                // A temp file left behind is removed with the temp folder.
            }
        }
    }

    /** Reads a list of chunks, the last one filled up to the total size. */
    private static final class ChunksInputStream extends InputStream {
        private final List<byte[]> chunks;
        private final long size;
        private long position;

        ChunksInputStream(List<byte[]> chunks, long size) {
            this.chunks = chunks;
            this.size = size;
        }

        @Override
        public int read() {
            if (position >= size) {
                return -1;
            }
            byte[] chunk = chunks.get((int) (position / chunks.get(0).length));
            return chunk[(int) (position++ % chunk.length)] & 0xff;
        }

        @Override
        public int read(byte[] target, int offset, int length) {
            if (position >= size) {
                return -1;
            }
            int chunkSize = chunks.get(0).length;
            byte[] chunk = chunks.get((int) (position / chunkSize));
            int inChunk = (int) (position % chunkSize);
            int n = (int) Math.min(Math.min(length, chunkSize - inChunk), size - position);
            System.arraycopy(chunk, inChunk, target, offset, n);
            position += n;
            return n;
        }

        @Override
        public int available() {
            return (int) Math.min(Integer.MAX_VALUE, size - position);
        }
    }

    /** Reads at most so many bytes of a stream. */
    private static final class BoundedInputStream extends InputStream {
        private final InputStream in;
        private long remaining;

        BoundedInputStream(InputStream in, long limit) {
            this.in = in;
            this.remaining = limit;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                remaining--;
            }
            return b;
        }

        @Override
        public int read(byte[] target, int offset, int length) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = in.read(target, offset, (int) Math.min(length, remaining));
            if (n > 0) {
                remaining -= n;
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
