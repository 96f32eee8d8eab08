package dev.filesink.partfile;

import dev.filesink.testing.ForwardingRecoverableStream;
import dev.filesink.testing.ForwardingRecoverableWriter;

import org.apache.flink.api.common.serialization.BulkWriter;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.RecoverableWriter;
import org.apache.flink.metrics.SimpleCounter;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThat;

/** A part file whose format fails: its storage stream is released, and a failing release never hides the cause. */
class PartFileFailureTest {

    @TempDir java.nio.file.Path dir;

    private final AtomicInteger closes = new AtomicInteger();

    @Test
    void aFormatThatFailsWhileFinishingLeavesNoOpenStream() throws Exception {
        InProgressPartFile<String> file = new BulkPartFileFactory<String>(out -> new FailingWriter("finish"))
                .open(writer(false), context(), 0, 64);

        assertThatThrownBy(file::closeForCommit).hasMessage("finish failed");
        assertThat(closes.get()).as("storage stream released").isEqualTo(1);
    }

    @Test
    void aFailingReleaseIsAddedToTheCauseInsteadOfReplacingIt() throws Exception {
        InProgressPartFile<String> file = new BulkPartFileFactory<String>(out -> new FailingWriter("finish"))
                .open(writer(true), context(), 0, 64);

        assertThatThrownBy(file::closeForCommit)
                .hasMessage("finish failed")
                .satisfies(e -> assertThat(e.getSuppressed()).singleElement()
                        .satisfies(s -> assertThat(s).hasMessage("close failed")));
    }

    @Test
    void aFormatThatFailsWhenOpeningKeepsItsErrorWhenTheReleaseFailsToo() throws Exception {
        BulkWriter.Factory<String> failsAtOpen = out -> {
            throw new IOException("open failed");
        };
        assertThatThrownBy(() -> new BulkPartFileFactory<>(failsAtOpen).open(writer(true), context(), 0, 64))
                .hasMessage("open failed")
                .satisfies(e -> assertThat(e.getSuppressed()).singleElement()
                        .satisfies(s -> assertThat(s).hasMessage("close failed")));
        assertThat(closes.get()).isEqualTo(1);
    }

    private PartFileContext context() {
        return new PartFileContext("bucket", new Path(dir.resolve("part-0").toUri()), new SimpleCounter());
    }

    /** The local file system's writer, with streams that count (and optionally fail) their release. */
    private RecoverableWriter writer(boolean closeFails) throws IOException {
        RecoverableWriter local = FileSystem.getLocalFileSystem().createRecoverableWriter();
        return new ForwardingRecoverableWriter(local, stream -> new ForwardingRecoverableStream(stream) {
            @Override
            public void close() throws IOException {
                closes.incrementAndGet();
                super.close();
                if (closeFails) {
                    throw new IOException("close failed");
                }
            }
        });
    }

    /** A bulk format whose {@code finish()} fails. */
    private static final class FailingWriter implements BulkWriter<String> {
        private final String failingStep;

        FailingWriter(String failingStep) {
            this.failingStep = failingStep;
        }

        @Override
        public void addElement(String element) {}

        @Override
        public void flush() {}

        @Override
        public void finish() throws IOException {
            throw new IOException(failingStep + " failed");
        }
    }
}
