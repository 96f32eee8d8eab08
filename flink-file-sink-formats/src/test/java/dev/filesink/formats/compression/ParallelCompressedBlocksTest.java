package dev.filesink.formats.compression;

import dev.filesink.formats.testing.Decompress;
import dev.filesink.formats.testing.PersistPoints;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The ordering, back pressure and failure logic of parallel compression: blocks finishing out of order are written
 * in order, every persisted length is a readable file, a part file never has more blocks in flight than allowed,
 * and a failed block fails the part file with a message naming it.
 */
class ParallelCompressedBlocksTest {

    private static final String WHERE = "part file 'part-1.jsonl.gz' of bucket 'b1'";

    private final ExecutorService threads = Executors.newFixedThreadPool(4);

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    @ParameterizedTest
    @EnumSource(value = Compression.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void blocksFinishingOutOfOrderAreWrittenInOrderAndEveryPersistedLengthIsReadable(Compression compression)
            throws Exception {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        // Random delays make later blocks finish before earlier ones.
        BlockCompressor slow = delayed(BlockCompressor.of(compression, compression.defaultLevel()), 3);
        ParallelCompressedBlocks blocks = new ParallelCompressedBlocks(file, slow, threads, 4096, 3, WHERE);
        PersistPoints persists = new PersistPoints(file);
        for (int record = 0; record < 4_000; record++) {
            byte[] line = PersistPoints.line(record, 70);
            blocks.write(line, 0, line.length);
            persists.wrote(line);
            assertThat(blocks.blocksInFlight()).isLessThanOrEqualTo(3);
            if (record % 900 == 899) {
                blocks.endUnit();
                assertThat(blocks.blocksInFlight()).as("a persist waits for every block").isZero();
                blocks.endUnit(); // a persist without new records adds nothing
                persists.persisted();
            }
        }
        blocks.endUnit();
        persists.persisted();

        persists.assertEveryPersistedLengthIsReadable("part" + compression.extension(), compression);
        assertThat(file.size()).as("compressed").isLessThan(persists.plainLength());
        assertThat(blocks.bufferedBytes()).as("an idle part file holds no blocks after a persist").isZero();
    }

    @Test
    void theTaskThreadWaitsWhenAPartFileHasTheMaximumOfBlocksInFlight() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger started = new AtomicInteger();
        BlockCompressor gzip = BlockCompressor.of(Compression.GZIP, 6);
        BlockCompressor held = new BlockCompressor() {
            @Override
            void compress(CompressionBlock block) throws IOException {
                started.incrementAndGet();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
                gzip.compress(block);
            }
        };
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        ParallelCompressedBlocks blocks = new ParallelCompressedBlocks(file, held, threads, 4096, 2, WHERE);
        byte[] block = "z".repeat(4096).getBytes(StandardCharsets.UTF_8);
        blocks.write(block, 0, block.length);
        blocks.write(block, 0, block.length);
        assertThat(blocks.blocksInFlight()).isEqualTo(2);

        ExecutorService taskThread = Executors.newSingleThreadExecutor();
        try {
            Future<?> third = taskThread.submit(() -> {
                blocks.write(block, 0, block.length);
                return null;
            });
            Thread.sleep(300);
            assertThat(third).as("the third block waits for the first to be written").isNotDone();
            assertThat(file.size()).isZero();
            release.countDown();
            third.get(10, TimeUnit.SECONDS);
        } finally {
            taskThread.shutdownNow();
        }
        assertThat(blocks.blocksInFlight()).isLessThanOrEqualTo(2);
        blocks.endUnit();
        assertThat(started.get()).isEqualTo(3);
        assertThat(Decompress.bytes("part.gz", file.toByteArray())).hasSize(3 * 4096);
    }

    @Test
    void aFailedBlockFailsThePartFileNamingItAndNothingAfterItIsWritten() throws Exception {
        BlockCompressor gzip = BlockCompressor.of(Compression.GZIP, 6);
        BlockCompressor failing = new BlockCompressor() {
            @Override
            void compress(CompressionBlock block) throws IOException {
                if (block.sequence == 2) {
                    throw new IllegalStateException("native compressor out of memory");
                }
                gzip.compress(block);
            }
        };
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        ParallelCompressedBlocks blocks = new ParallelCompressedBlocks(file, failing, threads, 4096, 4, WHERE);
        byte[] block = "x".repeat(4096).getBytes(StandardCharsets.UTF_8);
        // Reported by the write that finds the failed block done, or at the latest by the persist.
        assertThatThrownBy(() -> {
            for (int i = 0; i < 4; i++) {
                blocks.write(block, 0, block.length);
            }
            blocks.endUnit();
        })
                .isInstanceOf(IOException.class)
                .hasMessageContaining("block 2")
                .hasMessageContaining("part file 'part-1.jsonl.gz' of bucket 'b1'")
                .hasMessageContaining("native compressor out of memory");
        assertThat(Decompress.bytes("part.gz", file.toByteArray())).as("only whole blocks before the failed one")
                .hasSize(2 * 4096);
        assertThatThrownBy(() -> blocks.write(block, 0, 1)).isInstanceOf(IOException.class)
                .hasMessageContaining("failed earlier");
        assertThatThrownBy(blocks::endUnit).isInstanceOf(IOException.class);
        assertThat(blocks.bufferedBytes()).isZero();
    }

    @Test
    void aFailedWriteToThePartFileIsReportedWithThePartFile() throws Exception {
        java.io.OutputStream broken = new java.io.OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("disk full");
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                throw new IOException("disk full");
            }
        };
        ParallelCompressedBlocks blocks = new ParallelCompressedBlocks(
                broken, BlockCompressor.of(Compression.ZSTD, 3), threads, 4096, 2, WHERE);
        blocks.write(new byte[100], 0, 100);
        assertThatThrownBy(blocks::endUnit).hasMessageContaining("Writing compressed block 0")
                .hasMessageContaining("bucket 'b1'").hasMessageContaining("disk full");
    }

    @Test
    void discardingReleasesBlocksInFlight() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        BlockCompressor held = new BlockCompressor() {
            @Override
            void compress(CompressionBlock block) throws IOException {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
            }
        };
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        ParallelCompressedBlocks blocks = new ParallelCompressedBlocks(file, held, threads, 4096, 4, WHERE);
        blocks.write(new byte[3 * 4096 + 10], 0, 3 * 4096 + 10);
        assertThat(blocks.blocksInFlight()).isEqualTo(3);
        assertThat(blocks.bufferedBytes()).isGreaterThanOrEqualTo(3 * 4096 + 10);
        blocks.discard();
        release.countDown();
        assertThat(blocks.blocksInFlight()).isZero();
        assertThat(blocks.bufferedBytes()).isZero();
        assertThat(file.size()).isZero();
    }

    @Test
    void thePoolIsSharedPerThreadCountWithDaemonThreadsAndRunsOnTheCallerWhenFull() throws Exception {
        ExecutorService pool = CompressionPool.shared(2);
        assertThat(CompressionPool.shared(2)).isSameAs(pool);
        assertThat(CompressionPool.shared(3)).isNotSameAs(pool);
        assertThatThrownBy(() -> CompressionPool.shared(0)).hasMessageContaining("at least 1");

        // More work than threads + queue: the overflow runs on the submitting thread (back pressure, no unbounded queue).
        Thread submitter = Thread.currentThread();
        CountDownLatch release = new CountDownLatch(1);
        List<Future<String>> results = new ArrayList<>();
        String ranOn = null;
        for (int i = 0; i < 100 && ranOn == null; i++) {
            Future<String> result = pool.submit(() -> {
                if (Thread.currentThread() != submitter) {
                    release.await();
                }
                return Thread.currentThread().getName();
            });
            if (result.isDone()) {
                ranOn = result.get();
            } else {
                results.add(result);
            }
        }
        assertThat(ranOn).as("a submission past threads + queue ran on the submitter").isEqualTo(submitter.getName());
        assertThat(results).as("work held by the pool: its threads and its bounded queue").hasSizeBetween(8, 10);
        release.countDown();
        for (Future<String> result : results) {
            assertThat(result.get(10, TimeUnit.SECONDS)).startsWith("filesink-compression-2-");
        }
        assertThat(Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("filesink-compression-2-")))
                .hasSizeLessThanOrEqualTo(2)
                .allMatch(Thread::isDaemon);
    }

    @Test
    void settingsAreValidatedAndNoneCompressesInline() {
        assertThatThrownBy(() -> ParallelCompression.defaults().withBlockSize(100)).hasMessageContaining("block size");
        assertThatThrownBy(() -> ParallelCompression.defaults().withMaxBlocksInFlight(0))
                .hasMessageContaining("in flight");
        assertThatThrownBy(() -> ParallelCompression.defaults().withThreads(-2)).hasMessageContaining("threads");
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        assertThat(ParallelCompression.defaults().open(file, Compression.NONE, 0, WHERE))
                .isInstanceOf(CompressedUnits.class);
        assertThat(ParallelCompression.inline().open(file, Compression.GZIP, 6, WHERE))
                .isInstanceOf(CompressedUnits.class);
        assertThat(ParallelCompression.defaults().open(file, Compression.GZIP, 6, WHERE))
                .isInstanceOf(ParallelCompressedBlocks.class);
        assertThat(ParallelCompression.defaults().toString()).contains("threads=auto").contains("262144");
    }

    private static BlockCompressor delayed(BlockCompressor compressor, int maxMillis) {
        return new BlockCompressor() {
            @Override
            void compress(CompressionBlock block) throws IOException {
                try {
                    Thread.sleep(ThreadLocalRandom.current().nextInt(maxMillis + 1));
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
                compressor.compress(block);
            }
        };
    }
}
