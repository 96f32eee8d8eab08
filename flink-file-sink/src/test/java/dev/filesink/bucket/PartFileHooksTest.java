package dev.filesink.bucket;

import dev.filesink.partfile.BulkPartFileFactory;
import dev.filesink.partfile.InProgressPartFile;
import dev.filesink.partfile.MemoryReporting;
import dev.filesink.partfile.PartFileAwareEncoder;
import dev.filesink.partfile.PartFileContext;
import dev.filesink.partfile.PartFileFactory;
import dev.filesink.partfile.PartFileNaming;
import dev.filesink.partfile.PendingPartFile;
import dev.filesink.partfile.RollReason;
import dev.filesink.partfile.RollRequesting;
import dev.filesink.partfile.RowPartFileFactory;
import dev.filesink.rollingpolicies.DefaultRollingPolicy;
import dev.filesink.rollingpolicies.OnCheckpointRollingPolicy;
import dev.filesink.storage.FileSystemStorage;
import dev.filesink.storage.StorageSession;
import dev.filesink.testing.ForwardingRecoverableStream;
import dev.filesink.testing.ForwardingRecoverableWriter;
import dev.filesink.testing.SkippingLines;

import org.apache.flink.api.common.serialization.BulkWriter;
import org.apache.flink.api.common.serialization.SimpleStringEncoder;
import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.RecoverableFsDataOutputStream;
import org.apache.flink.core.fs.RecoverableWriter;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.RollingPolicy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The three ways a part file's format and storage stream talk to the bucket: they learn the part file and the
 * writer's skip counter, they ask for a roll before the next record, and they report the memory they hold. On real
 * local files, with a rolling policy that would never roll on its own.
 */
class PartFileHooksTest {

    @TempDir java.nio.file.Path dir;

    private final List<RollReason> rolls = new ArrayList<>();
    private final SimpleCounter recordsSkipped = new SimpleCounter();
    /** One writer's names: the test's buckets share a directory. */
    private final PartFileNamer namer =
            new PartFileNamer(new PartFileNaming(OutputFileConfig.builder().withPartSuffix(".txt").build()), "uid", 0);

    @Test
    void aFormatThatAsksForANewPartFileGetsOneBeforeTheRecordAndItsMemoryIsCounted() throws Exception {
        Bucket<String> bucket = bucket(new RowPartFileFactory<>(new OneSchemaPerFile()), neverRolls(), localWriter());
        for (String record : List.of("v1:a", "v1:b", "v2:c", "v2:d", "v1:e")) {
            bucket.write(record, 0);
        }

        assertThat(rolls).containsExactly(RollReason.FORMAT, RollReason.FORMAT);
        assertThat(bucket.inProgress().memoryFootprint()).as("write buffer plus what the format reports")
                .isEqualTo(64 + OneSchemaPerFile.BUFFERED);
        assertThat(committedLines(bucket.prepareCommit(true)))
                .containsExactly(List.of("v1:a", "v1:b"), List.of("v2:c", "v2:d"), List.of("v1:e"));
    }

    @Test
    void aFormatWriterIsToldWhenItsPartFileIsAbandoned() throws Exception {
        OneSchemaPerFile format = new OneSchemaPerFile();
        Bucket<String> bucket = bucket(new RowPartFileFactory<>(format), neverRolls(), localWriter());
        bucket.write("v1:a", 0);
        bucket.write("v2:b", 0); // rolls: finished, not discarded
        bucket.dispose();

        assertThat(format.discarded).as("part files discarded").isEqualTo(1);
    }

    @Test
    void aStorageStreamThatAsksForANewPartFileGetsOneAndItsMemoryIsCounted() throws Exception {
        // Rolls once 20 bytes reached the storage; a 1-byte write buffer hands every record straight to it.
        RecoverableWriter storage =
                new ForwardingRecoverableWriter(localWriter(), stream -> new LimitedStream(stream, 20, 5_000));
        Bucket<String> bucket = bucket(new RowPartFileFactory<>(new SimpleStringEncoder<>()), neverRolls(), storage, 1);
        List<String> records = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            records.add("record-" + i); // 9 bytes with its line end
            bucket.write(records.get(i), 0);
        }

        assertThat(bucket.inProgress().memoryFootprint()).as("write buffer plus what the stream reports")
                .isEqualTo(1 + 5_000);
        assertThat(rolls).containsOnly(RollReason.STORAGE).hasSize(3);
        List<List<String>> files = committedLines(bucket.prepareCommit(true));
        assertThat(files).hasSize(4).allSatisfy(lines -> assertThat(lines).hasSizeBetween(1, 3));
        assertThat(files.stream().flatMap(List::stream)).containsExactlyElementsOf(records);
    }

    @Test
    void formatsLearnTheirPartFileAndCountSkippedRecordsIntoTheWritersCounter() throws Exception {
        SkippingLines format = new SkippingLines();
        Bucket<String> rows = bucket(new RowPartFileFactory<>(format), neverRolls(), localWriter());
        Bucket<String> bulk = bucket(new BulkPartFileFactory<>(format), OnCheckpointRollingPolicy.build(), localWriter());
        for (String record : List.of("ok-1", "bad-2", "ok-3", "bad-4")) {
            rows.write(record, 0);
            bulk.write(record, 0);
        }

        assertThat(recordsSkipped.getCount()).as("skipped by both part files").isEqualTo(4);
        List<PendingPartFile> files = new ArrayList<>(rows.prepareCommit(true));
        files.addAll(bulk.prepareCommit(true));
        assertThat(format.contexts()).extracting(PartFileContext::partFile)
                .containsExactly(files.get(0).target(), files.get(1).target());
        assertThat(format.contexts()).allSatisfy(context -> {
            assertThat(context.bucketId()).isEqualTo("bucket-1");
            assertThat(context.describe()).contains("of bucket 'bucket-1'").contains(context.partFile().getName());
        });
        assertThat(committedLines(files)).containsExactly(List.of("ok-1", "ok-3"), List.of("ok-1", "ok-3"));
    }

    @Test
    void aBulkFactoryUsedByAnotherSinkIsToldNothingAndCountsNowhere() throws Exception {
        SkippingLines format = new SkippingLines();
        try (FSDataOutputStream out = FileSystem.getLocalFileSystem()
                .create(new Path(dir.resolve("plain").toUri()), FileSystem.WriteMode.NO_OVERWRITE)) {
            BulkWriter<String> writer = format.create(out);
            writer.addElement("bad-1");
            writer.finish();
        }

        assertThat(format.contexts()).containsExactly(PartFileContext.UNKNOWN);
        assertThat(PartFileContext.UNKNOWN.recordsSkipped().getCount()).isZero();
        assertThat(PartFileContext.UNKNOWN.describe()).isEqualTo("an unknown part file");
    }

    private Bucket<String> bucket(PartFileFactory<String> factory, RollingPolicy<String, String> policy,
            RecoverableWriter writer) {
        return bucket(factory, policy, writer, 64);
    }

    private Bucket<String> bucket(PartFileFactory<String> factory, RollingPolicy<String, String> policy,
            RecoverableWriter writer, int writeBufferSize) {
        BucketListener listener = new BucketListener() {
            @Override
            public void partFileOpened(InProgressPartFile<?> file) {}

            @Override
            public void partFileRolled(long size, RollReason reason) {
                rolls.add(reason);
            }
        };
        BucketSettings<String> settings =
                new BucketSettings<>(writer, factory, policy, namer, writeBufferSize, listener, recordsSkipped);
        return new Bucket<>("bucket-1", new Path(base(), "bucket-1"), settings);
    }

    private static RollingPolicy<String, String> neverRolls() {
        return DefaultRollingPolicy.builder().withMaxPartSize(Long.MAX_VALUE).build();
    }

    private RecoverableWriter localWriter() throws IOException {
        return FileSystem.getLocalFileSystem().createRecoverableWriter();
    }

    private Path base() {
        return new Path(dir.toUri());
    }

    /** Commits the files in order and returns each one's lines. */
    private List<List<String>> committedLines(List<PendingPartFile> files) throws IOException {
        StorageSession storage = FileSystemStorage.INSTANCE.open(base());
        List<List<String>> result = new ArrayList<>();
        for (PendingPartFile file : files) {
            storage.commit(file.target(), file.recoverable(), file.size());
            result.add(Files.readAllLines(java.nio.file.Path.of(file.target().toUri())));
        }
        return result;
    }

    /** Lines "v1:..." and "v2:...": a file takes one version, like an Avro file takes one schema. */
    private static final class OneSchemaPerFile implements PartFileAwareEncoder<String> {
        private static final long serialVersionUID = 1L;

        static final long BUFFERED = 300;

        int discarded;

        @Override
        public void encode(String element, OutputStream stream) throws IOException {
            stream.write((element + "\n").getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public RecordWriter<String> openPartFile(OutputStream out, boolean resumed) {
            return new VersionedLines(out);
        }

        private final class VersionedLines implements RecordWriter<String>, RollRequesting<String>, MemoryReporting {
            private final OutputStream out;
            private String version;

            VersionedLines(OutputStream out) {
                this.out = out;
            }

            @Override
            public void write(String element) throws IOException {
                version = element.substring(0, 2);
                encode(element, out);
            }

            @Override
            public RollReason rollBefore(String next) {
                return version == null || next.startsWith(version) ? null : RollReason.FORMAT;
            }

            @Override
            public void discard() {
                discarded++;
            }

            @Override
            public long bufferedBytes() {
                return BUFFERED;
            }
        }
    }

    /**
     * A stream that asks for a roll once {@code limit} bytes reached it (like a blob near its block limit) and
     * reports {@code buffered} bytes of memory (like a block buffer).
     */
    private static final class LimitedStream extends ForwardingRecoverableStream
            implements RollRequesting<Object>, MemoryReporting {
        private final long limit;
        private final long buffered;

        LimitedStream(RecoverableFsDataOutputStream out, long limit, long buffered) {
            super(out);
            this.limit = limit;
            this.buffered = buffered;
        }

        @Override
        public RollReason rollBefore(Object next) {
            try {
                return out.getPos() >= limit ? RollReason.STORAGE : null;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public long bufferedBytes() {
            return buffered;
        }
    }
}
