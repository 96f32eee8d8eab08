package dev.filesink.formats.compression;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Parallel compression of one part file (pigz-style): the task thread fills blocks, a shared pool compresses each
 * into a self-contained unit, and the task thread writes the units to the part file in block order.
 *
 * <p>Only the task thread touches the part file's stream and this object; compression threads see one block at a
 * time, handed over and back through a {@link Future}. At most {@code maxInFlight} blocks are submitted and not yet
 * written; the task thread waits for the oldest before it submits another. {@link #endUnit()} (called before every
 * persist) submits the partly filled block and waits until every block is written, so the persisted length always
 * ends at a unit boundary.
 *
 * <p>A compression failure is reported in the task thread, naming the part file and the block, and leaves this output
 * failed: nothing more is written, so the file never has a gap.
 */
final class ParallelCompressedBlocks implements CompressedOutput {

    private final OutputStream file;
    private final BlockCompressor compressor;
    private final ExecutorService pool;
    private final int blockSize;
    private final int maxInFlight;
    private final String where;

    private final ArrayDeque<InFlight> inFlight = new ArrayDeque<>();
    /** A written block kept for the next fill (dropped at every persist, so idle part files hold no blocks). */
    private CompressionBlock spare;
    private CompressionBlock filling;
    private long nextSequence;
    /** Capacity of the submitted blocks when they were submitted (compression threads may grow their output). */
    private long inFlightBytes;
    private IOException failure;

    ParallelCompressedBlocks(OutputStream file, BlockCompressor compressor, ExecutorService pool, int blockSize,
            int maxInFlight, String where) {
        this.file = file;
        this.compressor = compressor;
        this.pool = pool;
        this.blockSize = blockSize;
        this.maxInFlight = maxInFlight;
        this.where = where;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        checkNotFailed();
        while (length > 0) {
            if (filling == null) {
                filling = spare == null ? new CompressionBlock() : spare;
                spare = null;
            }
            int taken = filling.fill(bytes, offset, length, blockSize);
            offset += taken;
            length -= taken;
            if (filling.length == blockSize) {
                submitFilling();
            }
        }
    }

    @Override
    public void endUnit() throws IOException {
        checkNotFailed();
        submitFilling();
        while (!inFlight.isEmpty()) {
            writeOldest();
        }
        spare = null;
    }

    @Override
    public long bufferedBytes() {
        return inFlightBytes + (filling == null ? 0 : filling.capacity()) + (spare == null ? 0 : spare.capacity());
    }

    @Override
    public void discard() {
        for (InFlight block : inFlight) {
            block.result.cancel(false);
        }
        inFlight.clear();
        spare = null;
        filling = null;
        inFlightBytes = 0;
    }

    /** Blocks submitted and not yet written (for tests). */
    int blocksInFlight() {
        return inFlight.size();
    }

    private void submitFilling() throws IOException {
        if (filling == null || filling.length == 0) {
            return;
        }
        if (inFlight.size() >= maxInFlight) {
            writeOldest();
        }
        CompressionBlock block = filling;
        filling = null;
        block.sequence = nextSequence++;
        long counted = block.capacity();
        inFlightBytes += counted;
        inFlight.add(new InFlight(block, counted, pool.submit(() -> {
            compressor.compress(block);
            return block;
        })));
        writeFinished();
    }

    /** Writes the oldest blocks that are already compressed, without waiting. */
    private void writeFinished() throws IOException {
        while (!inFlight.isEmpty() && inFlight.peek().result.isDone()) {
            writeOldest();
        }
    }

    private void writeOldest() throws IOException {
        InFlight oldest = inFlight.peek();
        CompressionBlock block;
        try {
            block = oldest.result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw (InterruptedIOException) new InterruptedIOException(
                    "Interrupted while waiting for block " + oldest.block.sequence + " of " + where
                            + " to be compressed").initCause(e);
        } catch (ExecutionException | CancellationException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            fail(new IOException("Compressing block " + oldest.block.sequence + " (" + oldest.block.length
                    + " bytes) of " + where + " failed: " + cause, cause));
            throw failure;
        }
        inFlight.poll();
        try {
            file.write(block.output, 0, block.outputLength);
        } catch (IOException e) {
            fail(new IOException("Writing compressed block " + block.sequence + " of " + where + " failed: " + e, e));
            throw failure;
        }
        inFlightBytes -= oldest.counted;
        block.clear();
        spare = block;
    }

    private void fail(IOException e) {
        failure = e;
        discard();
    }

    private void checkNotFailed() throws IOException {
        if (failure != null) {
            throw new IOException("Compression of " + where + " failed earlier; the part file is unusable", failure);
        }
    }

    private record InFlight(CompressionBlock block, long counted, Future<CompressionBlock> result) {}
}
