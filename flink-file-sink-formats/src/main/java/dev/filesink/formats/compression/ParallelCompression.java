package dev.filesink.formats.compression;

import java.io.OutputStream;
import java.io.Serializable;

/**
 * How a row format compresses: in parallel (the default) or inline on the task thread.
 *
 * <p>In parallel, the task thread gathers a part file's bytes into blocks of {@link #blockSize()} bytes; each block
 * is compressed as a self-contained unit (a gzip member, a zstd/lz4 frame...) on a pool of compression threads
 * shared by the whole TaskManager, and the units are written to the part file in order. A part file has at most
 * {@link #maxBlocksInFlight()} blocks being compressed or waiting to be written; when it has that many the task
 * thread waits for the oldest (back pressure). Every persist waits until all blocks given so far are in the file.
 *
 * <p>Defaults: one thread per processor the TaskManager sees ({@code availableProcessors()}), 256 KiB blocks, 4
 * blocks in flight per part file: at most about 1.3 MiB of buffers per open part file (5 blocks' input plus their
 * compressed output), for files 0.1-0.5% larger than one-unit-per-checkpoint compression.
 */
public final class ParallelCompression implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Thread count meaning "one per available processor of the TaskManager". */
    public static final int AUTO_THREADS = -1;
    public static final int DEFAULT_BLOCK_SIZE = 256 * 1024;
    public static final int DEFAULT_MAX_BLOCKS_IN_FLIGHT = 4;
    static final int MIN_BLOCK_SIZE = 4 * 1024;
    static final int MAX_BLOCK_SIZE = 64 * 1024 * 1024;

    private static final ParallelCompression DEFAULTS =
            new ParallelCompression(AUTO_THREADS, DEFAULT_BLOCK_SIZE, DEFAULT_MAX_BLOCKS_IN_FLIGHT);

    private final int threads;
    private final int blockSize;
    private final int maxBlocksInFlight;

    private ParallelCompression(int threads, int blockSize, int maxBlocksInFlight) {
        this.threads = threads;
        this.blockSize = blockSize;
        this.maxBlocksInFlight = maxBlocksInFlight;
    }

    /** Parallel, with one thread per available processor, 256 KiB blocks and 4 blocks in flight per part file. */
    public static ParallelCompression defaults() {
        return DEFAULTS;
    }

    /** Compression on the task thread, one unit per persist (the files are a little smaller, the sink slower). */
    public static ParallelCompression inline() {
        return new ParallelCompression(0, DEFAULT_BLOCK_SIZE, DEFAULT_MAX_BLOCKS_IN_FLIGHT);
    }

    /**
     * @param threads compression threads of the TaskManager-wide pool ({@link #AUTO_THREADS} for one per processor),
     *     0 for inline compression
     */
    public ParallelCompression withThreads(int threads) {
        if (threads < AUTO_THREADS) {
            throw new IllegalArgumentException("compression threads must be >= 0 (0: inline, -1: one per processor), got "
                    + threads);
        }
        return new ParallelCompression(threads, blockSize, maxBlocksInFlight);
    }

    /** Uncompressed bytes per block (and so per compressed unit), between 4 KiB and 64 MiB. */
    public ParallelCompression withBlockSize(int bytes) {
        if (bytes < MIN_BLOCK_SIZE || bytes > MAX_BLOCK_SIZE) {
            throw new IllegalArgumentException("compression block size must be in [" + MIN_BLOCK_SIZE + ", "
                    + MAX_BLOCK_SIZE + "] bytes, got " + bytes);
        }
        return new ParallelCompression(threads, bytes, maxBlocksInFlight);
    }

    /** Blocks per part file being compressed or waiting to be written before the task thread waits (at least 1). */
    public ParallelCompression withMaxBlocksInFlight(int blocks) {
        if (blocks < 1) {
            throw new IllegalArgumentException("max compression blocks in flight must be at least 1, got " + blocks);
        }
        return new ParallelCompression(threads, blockSize, blocks);
    }

    public boolean isInline() {
        return threads == 0;
    }

    /** The configured thread count: {@link #AUTO_THREADS}, 0 (inline) or a number. */
    public int threads() {
        return threads;
    }

    public int blockSize() {
        return blockSize;
    }

    public int maxBlocksInFlight() {
        return maxBlocksInFlight;
    }

    /**
     * The output for one part file.
     *
     * @param where the bucket and part file, for error messages
     */
    public CompressedOutput open(OutputStream file, Compression compression, int level, String where) {
        if (isInline() || compression == Compression.NONE) {
            return new CompressedUnits(file, compression, level);
        }
        int poolThreads = threads == AUTO_THREADS ? Runtime.getRuntime().availableProcessors() : threads;
        return new ParallelCompressedBlocks(file, BlockCompressor.of(compression, level),
                CompressionPool.shared(poolThreads), blockSize, maxBlocksInFlight, compression + " " + where);
    }

    @Override
    public String toString() {
        return isInline() ? "inline" : "parallel(threads=" + (threads == AUTO_THREADS ? "auto" : threads)
                + ", blockSize=" + blockSize + ", maxBlocksInFlight=" + maxBlocksInFlight + ")";
    }
}
