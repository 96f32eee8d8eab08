package dev.filesink.partfile;

import dev.filesink.storage.FileSystemStorage;
import dev.filesink.testing.ForwardingRecoverableStream;

import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.RecoverableFsDataOutputStream;
import org.apache.flink.core.fs.RecoverableWriter;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

import static org.assertj.core.api.Assertions.assertThat;

class BufferedPartFileStreamTest {

    @TempDir java.nio.file.Path dir;

    @Test
    void smallRecordsReachStorageInBufferSizedWrites() throws Exception {
        RecoverableWriter writer = FileSystemStorage.INSTANCE.open(new Path(dir.toUri())).recoverableWriter();
        CountingStream counting = new CountingStream(writer.open(new Path(dir.resolve("f").toUri())));
        BufferedPartFileStream stream = new BufferedPartFileStream(counting, 64 * 1024);
        byte[] record = ("x".repeat(99) + "\n").getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 10_000; i++) {
            stream.write(record, 0, 99);
            stream.write('\n');
        }
        assertThat(stream.getPos()).isEqualTo(1_000_000);
        // 1,000,000 bytes through a 64 KiB buffer: 15 writes, not 20,000.
        assertThat(counting.writes).isEqualTo(15);

        stream.persist();
        assertThat(counting.writes).isEqualTo(16);
        stream.closeForCommit().commit();
        assertThat(Files.size(dir.resolve("f"))).isEqualTo(1_000_000);
    }

    @Test
    void largeWritesBypassTheBuffer() throws Exception {
        RecoverableWriter writer = FileSystemStorage.INSTANCE.open(new Path(dir.toUri())).recoverableWriter();
        CountingStream counting = new CountingStream(writer.open(new Path(dir.resolve("g").toUri())));
        BufferedPartFileStream stream = new BufferedPartFileStream(counting, 1024);
        stream.write(new byte[10]);
        stream.write(new byte[5_000]);
        assertThat(counting.writes).isEqualTo(2);
        assertThat(stream.getPos()).isEqualTo(5_010);
        stream.closeForCommit().commit();
        assertThat(Files.size(dir.resolve("g"))).isEqualTo(5_010);
    }

    /** Counts the writes that reach the storage stream. */
    static final class CountingStream extends ForwardingRecoverableStream {
        int writes;

        CountingStream(RecoverableFsDataOutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            writes++;
            super.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            writes++;
            super.write(b, off, len);
        }
    }
}
