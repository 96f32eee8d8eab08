package dev.filesink.committer;

import dev.filesink.storage.FileSystemStorage;
import dev.filesink.storage.RecoverableSerializers;
import dev.filesink.storage.StorageSession;

import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.RecoverableFsDataOutputStream;
import org.apache.flink.core.fs.RecoverableWriter;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A compaction's output on a real local folder: committed, then its inputs discarded; a replay after both is a
 * no-op; an output that is lost fails the job and leaves its inputs in place; the committable survives its
 * serializer.
 */
class CompactedCommitTest {

    private static final CommitRetryPolicy FAST = new CommitRetryPolicy(2, Duration.ofMillis(1), Duration.ofMillis(2));

    @TempDir java.nio.file.Path out;

    @Test
    void commitsTheOutputThenDiscardsItsInputsAndReplaysAsANoOp() throws Exception {
        StorageSession storage = FileSystemStorage.INSTANCE.open(new Path(out.toUri()));
        FileSinkCommittable compacted = compactedOf(storage, "a\n", "b\n");
        assertThat(hiddenFiles()).hasSize(3);

        FileCommitter committer = new FileCommitter(storage, 2, FAST, CommitListener.NO_OP);
        FileCommitterTest.Request first = new FileCommitterTest.Request(compacted);
        committer.commit(new ArrayList<>(List.of(first)));
        assertThat(first.outcome).isEqualTo("committed");
        assertThat(Files.readString(out.resolve("compacted-part-1"))).isEqualTo("a\nb\n");
        assertThat(hiddenFiles()).as("inputs discarded after the commit").isEmpty();

        FileCommitterTest.Request replay = new FileCommitterTest.Request(compacted);
        committer.commit(new ArrayList<>(List.of(replay)));
        assertThat(replay.outcome).isEqualTo("alreadyCommitted");
        assertThat(Files.readString(out.resolve("compacted-part-1"))).isEqualTo("a\nb\n");
        committer.close();
    }

    @Test
    void aLostOutputFailsTheJobAndKeepsItsInputs() throws Exception {
        StorageSession storage = FileSystemStorage.INSTANCE.open(new Path(out.toUri()));
        FileSinkCommittable compacted = compactedOf(storage, "a\n", "b\n");
        try (Stream<java.nio.file.Path> files = Files.list(out)) {
            files.filter(f -> f.getFileName().toString().startsWith(".compacted-")).forEach(f -> f.toFile().delete());
        }
        FileCommitter committer = new FileCommitter(storage, 1, FAST, CommitListener.NO_OP);

        assertThatThrownBy(() -> committer.commit(new ArrayList<>(List.of(new FileCommitterTest.Request(compacted)))))
                .isInstanceOf(PermanentCommitFailure.class)
                .hasMessageContaining("compacted-part-1");
        assertThat(hiddenFiles()).as("the inputs stay: their data is nowhere else").hasSize(2);
        committer.close();
    }

    @Test
    void serializerKeepsOutputAndInputs() throws Exception {
        StorageSession storage = FileSystemStorage.INSTANCE.open(new Path(out.toUri()));
        FileSinkCommittable compacted = compactedOf(storage, "a\n", "bb\n");
        FileSinkCommittableSerializer serializer =
                new FileSinkCommittableSerializer(new RecoverableSerializers(FileSystemStorage.INSTANCE, new Path(out.toUri())));

        FileSinkCommittable read = serializer.deserialize(serializer.getVersion(), serializer.serialize(compacted));

        assertThat(read.isCompacted()).isTrue();
        assertThat(read.target()).isEqualTo(compacted.target());
        assertThat(read.size()).isEqualTo(5);
        assertThat(read.recordCount()).isEqualTo(2);
        assertThat(read.compactedInputs()).extracting(CompactedInput::target)
                .containsExactly(new Path(out.toUri().resolve("part-1")), new Path(out.toUri().resolve("part-2")));
        assertThat(read.compactedInputs()).extracting(CompactedInput::size).containsExactly(2L, 3L);
        assertThat(storage.compactionSource(read.compactedInputs().get(1).pendingFile(), 3)).isPresent();
    }

    private FileSinkCommittable compactedOf(StorageSession storage, String first, String second) throws Exception {
        Path base = new Path(out.toUri());
        RecoverableWriter writer = storage.recoverableWriter();
        List<CompactedInput> inputs = List.of(
                new CompactedInput(new Path(base, "part-1"), pending(writer, new Path(base, "part-1"), first), first.length()),
                new CompactedInput(new Path(base, "part-2"), pending(writer, new Path(base, "part-2"), second), second.length()));
        Path target = new Path(base, "compacted-part-1");
        String both = first + second;
        return FileSinkCommittable.compacted("", target, pending(writer, target, both), both.length(), 2, inputs);
    }

    private static RecoverableWriter.CommitRecoverable pending(RecoverableWriter writer, Path target, String content)
            throws Exception {
        RecoverableFsDataOutputStream stream = writer.open(target);
        stream.write(content.getBytes(StandardCharsets.UTF_8));
        return stream.closeForCommit().getRecoverable();
    }

    private List<String> hiddenFiles() throws Exception {
        try (Stream<java.nio.file.Path> files = Files.list(out)) {
            return files.map(f -> f.getFileName().toString()).filter(name -> name.startsWith(".")).toList();
        }
    }
}
