package dev.filesink.compaction;

import dev.filesink.committer.CompactedInput;
import dev.filesink.committer.FileSinkCommittable;
import dev.filesink.partfile.BulkPartFileFactory;
import dev.filesink.partfile.RollReason;
import dev.filesink.partfile.RollRequesting;
import dev.filesink.partfile.RowPartFileFactory;
import dev.filesink.storage.FileSystemStorage;
import dev.filesink.storage.StorageSession;
import dev.filesink.testing.LineDecoder;

import org.apache.flink.api.common.serialization.BulkWriter;
import org.apache.flink.api.common.serialization.SimpleStringEncoder;
import org.apache.flink.connector.file.sink.compactor.ConcatFileCompactor;
import org.apache.flink.connector.file.sink.compactor.DecoderBasedReader;
import org.apache.flink.connector.file.sink.compactor.FileCompactor;
import org.apache.flink.connector.file.sink.compactor.RecordWiseFileCompactor;
import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.RecoverableFsDataOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One group compacted on a real local folder. */
class GroupCompactorTest {

    @TempDir java.nio.file.Path out;

    @Test
    void concatenatesIntoACompactedFileNamedAfterTheFirstInput() throws Exception {
        StorageSession storage = storage();
        List<FileSinkCommittable> group = List.of(pending(storage, "part-1", "a\n"), pending(storage, "part-2", "b\n"));

        CompactionResult result = compactor(storage, new ConcatFileCompactor()).compact(group);

        assertThat(result.committables()).hasSize(1);
        FileSinkCommittable compacted = result.committables().get(0);
        assertThat(compacted.target().getName()).isEqualTo("compacted-part-1");
        assertThat(compacted.size()).isEqualTo(4);
        assertThat(compacted.recordCount()).isEqualTo(2);
        assertThat(compacted.compactedInputs()).extracting(CompactedInput::target)
                .containsExactly(group.get(0).target(), group.get(1).target());
        assertThat(result.bytesThroughTaskManager()).isEqualTo(8);
        storage.commit(compacted.target(), compacted.pendingFile(), compacted.size());
        assertThat(Files.readString(out.resolve("compacted-part-1"))).isEqualTo("a\nb\n");
    }

    @Test
    void writesRecordWiseThroughTheSinksEncoder() throws Exception {
        StorageSession storage = storage();
        List<FileSinkCommittable> group = List.of(pending(storage, "part-1", "a\nb\n"), pending(storage, "part-2", "c\n"));

        FileSinkCommittable compacted = compactor(storage,
                new RecordWiseFileCompactor<>(new DecoderBasedReader.Factory<>(LineDecoder::new)))
                .compact(group).committables().get(0);

        assertThat(compacted.recordCount()).isEqualTo(3);
        storage.commit(compacted.target(), compacted.pendingFile(), compacted.size());
        assertThat(Files.readString(out.resolve("compacted-part-1"))).isEqualTo("a\nb\nc\n");
    }

    @Test
    void discardsWhatAFailedAttemptLeftHalfWrittenUnderAnyInputsName() throws Exception {
        StorageSession storage = storage();
        List<FileSinkCommittable> group = List.of(pending(storage, "part-1", "a\n"), pending(storage, "part-2", "b\n"));
        // A failed attempt whose group started with part-2, and an unrelated in-progress file.
        storage.recoverableWriter().open(new Path(new Path(out.toUri()), "compacted-part-2")).write(1);
        storage.recoverableWriter().open(new Path(new Path(out.toUri()), "compacted-part-9")).write(1);

        compactor(storage, new ConcatFileCompactor()).compact(group);

        assertThat(hidden()).noneMatch(name -> name.startsWith(".compacted-part-2"));
        assertThat(hidden()).anyMatch(name -> name.startsWith(".compacted-part-9"));
        assertThat(hidden()).anyMatch(name -> name.startsWith(".compacted-part-1"));
    }

    @Test
    void anInputThatIsGoneFailsNamingIt() throws Exception {
        StorageSession storage = storage();
        List<FileSinkCommittable> group = List.of(pending(storage, "part-1", "a\n"), pending(storage, "part-2", "b\n"));
        try (Stream<java.nio.file.Path> files = Files.list(out)) {
            files.filter(f -> f.getFileName().toString().startsWith(".part-2")).forEach(f -> f.toFile().delete());
        }

        assertThatThrownBy(() -> compactor(storage, new ConcatFileCompactor()).compact(group))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("part-2")
                .hasMessageContaining("gone");
        assertThat(hidden()).noneMatch(name -> name.startsWith(".compacted-"));
    }

    @Test
    void aFileAloneOrLongerThanCommittedGoesOnAsItIs() throws Exception {
        StorageSession storage = storage();
        FileSinkCommittable alone = pending(storage, "part-1", "a\n");
        // An earlier attempt compacted it with others into an output no checkpoint holds.
        storage.recoverableWriter().open(new Path(new Path(out.toUri()), "compacted-part-1")).write(1);
        CompactionResult single = compactor(storage, new ConcatFileCompactor()).compact(List.of(alone));
        assertThat(single.committables()).containsExactly(alone);
        assertThat(single.passedThrough()).isEqualTo(1);

        FileSinkCommittable longer = pending(storage, "part-2", "b\n");
        FileSinkCommittable declaredShorter = FileSinkCommittable.pendingFile(
                longer.bucketId(), longer.target(), longer.pendingFile(), 1, 1);
        FileSinkCommittable other = pending(storage, "part-3", "c\n");
        CompactionResult mixed = compactor(storage, new ConcatFileCompactor()).compact(List.of(declaredShorter, other));
        assertThat(mixed.committables()).containsExactlyInAnyOrder(declaredShorter, other);
        assertThat(hidden()).noneMatch(name -> name.startsWith(".compacted-"));
    }

    @Test
    void recordWiseStartsANewFileWhereTheFormatSeesAnotherSchemaAndNeverMergesThem() throws Exception {
        StorageSession storage = storage();
        List<FileSinkCommittable> group = List.of(
                pending(storage, "part-1", "a1\na2\n"), pending(storage, "part-2", "a3\n"),
                pending(storage, "part-3", "b1\n"), pending(storage, "part-4", "b2\n"));

        CompactionResult result = schemaCompactor(storage).compact(group);

        assertThat(result.outputFiles()).isEqualTo(2);
        assertThat(result.committables()).extracting(c -> c.target().getName())
                .containsExactly("compacted-part-1", "compacted-part-3");
        assertThat(result.committables().get(0).compactedInputs()).extracting(i -> i.target().getName())
                .containsExactly("part-1", "part-2");
        assertThat(result.committables().get(1).compactedInputs()).extracting(i -> i.target().getName())
                .containsExactly("part-3", "part-4");
        for (FileSinkCommittable compacted : result.committables()) {
            storage.commit(compacted.target(), compacted.pendingFile(), compacted.size());
        }
        assertThat(Files.readString(out.resolve("compacted-part-1"))).isEqualTo("a1\na2\na3\n");
        assertThat(Files.readString(out.resolve("compacted-part-3"))).isEqualTo("b1\nb2\n");
    }

    @Test
    void aSchemaChangeInsideOneInputFailsAndLeavesNoOutput() throws Exception {
        StorageSession storage = storage();
        List<FileSinkCommittable> group = List.of(pending(storage, "part-1", "a1\n"), pending(storage, "part-2", "a2\nb1\n"));

        assertThatThrownBy(() -> schemaCompactor(storage).compact(group))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("part-2")
                .hasMessageContaining("new file inside it");
        assertThat(hidden()).noneMatch(name -> name.startsWith(".compacted-"));
    }

    @Test
    void aByteWiseCompactorWithMergeKeysMergesOnlyInputsOfOneKey() throws Exception {
        StorageSession storage = storage();
        List<FileSinkCommittable> group = List.of(pending(storage, "part-1", "a1\n"), pending(storage, "part-2", "b1\n"),
                pending(storage, "part-3", "a2\n"), pending(storage, "part-4", "c1\n"), pending(storage, "part-5", "b2\n"));

        CompactionResult result = compactor(storage, new ConcatByFirstLetter()).compact(group);

        assertThat(result.committables()).extracting(c -> c.target().getName())
                .containsExactlyInAnyOrder("compacted-part-1", "compacted-part-2", "part-4");
        assertThat(result.inputFiles()).isEqualTo(4);
        assertThat(result.outputFiles()).isEqualTo(2);
        assertThat(result.passedThrough()).isEqualTo(1);
        for (FileSinkCommittable file : result.committables()) {
            storage.commit(file.target(), file.pendingFile(), file.size());
        }
        assertThat(Files.readString(out.resolve("compacted-part-1"))).isEqualTo("a1\na2\n");
        assertThat(Files.readString(out.resolve("compacted-part-2"))).isEqualTo("b1\nb2\n");
    }

    /** Concatenates files whose first letter is the same, as a bulk format's compactor would files of one schema. */
    private static final class ConcatByFirstLetter extends ConcatFileCompactor implements MergeKeys {
        private static final long serialVersionUID = 1L;

        @Override
        public String mergeKey(Path input) throws IOException {
            try (var in = input.getFileSystem().open(input)) {
                return String.valueOf((char) in.read());
            }
        }
    }

    private static GroupCompactor<String> schemaCompactor(StorageSession storage) {
        return new GroupCompactor<>(storage,
                new RecordWiseFileCompactor<>(new DecoderBasedReader.Factory<>(LineDecoder::new)),
                new BulkPartFileFactory<>(new SchemaByFirstLetter()), 1024);
    }

    /** A bulk format of lines whose "schema" is a line's first letter: it asks for a new file when it changes. */
    private static final class SchemaByFirstLetter implements BulkWriter.Factory<String> {
        private static final long serialVersionUID = 1L;

        @Override
        public BulkWriter<String> create(FSDataOutputStream out) {
            return new LinesOfOneSchema(out);
        }
    }

    private static final class LinesOfOneSchema implements BulkWriter<String>, RollRequesting<String> {
        private final FSDataOutputStream out;
        private Character schema;

        LinesOfOneSchema(FSDataOutputStream out) {
            this.out = out;
        }

        @Override
        public RollReason rollBefore(String next) {
            return schema != null && next.charAt(0) != schema ? RollReason.FORMAT : null;
        }

        @Override
        public void addElement(String element) throws IOException {
            schema = element.charAt(0);
            out.write((element + "\n").getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void finish() throws IOException {
            flush();
        }
    }

    private StorageSession storage() throws IOException {
        return FileSystemStorage.INSTANCE.open(new Path(out.toUri()));
    }

    private static GroupCompactor<String> compactor(StorageSession storage, FileCompactor compactor) {
        return new GroupCompactor<>(storage, compactor, new RowPartFileFactory<>(new SimpleStringEncoder<>()), 1024);
    }

    private FileSinkCommittable pending(StorageSession storage, String name, String content) throws IOException {
        Path target = new Path(new Path(out.toUri()), name);
        RecoverableFsDataOutputStream stream = storage.recoverableWriter().open(target);
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        stream.write(bytes);
        long lines = content.chars().filter(c -> c == '\n').count();
        return FileSinkCommittable.pendingFile("", target, stream.closeForCommit().getRecoverable(), bytes.length, lines);
    }

    private List<String> hidden() throws IOException {
        try (Stream<java.nio.file.Path> files = Files.list(out)) {
            return files.map(f -> f.getFileName().toString()).filter(name -> name.startsWith(".")).toList();
        }
    }
}
