package dev.filesink.storage;

import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.RecoverableFsDataOutputStream;
import org.apache.flink.core.fs.RecoverableWriter;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The local file system back end, on real files. */
class FileSystemStorageSessionTest {

    @TempDir java.nio.file.Path dir;

    @Test
    void commitMakesThePendingFileVisibleAndAReplayChangesNothing() throws Exception {
        StorageSession session = FileSystemStorage.INSTANCE.open(base());
        Path target = new Path(base(), "bucket/part-u-0");
        RecoverableWriter.CommitRecoverable pending = pendingFile(session, target, "hello\n");
        assertThat(Files.exists(local(target))).isFalse();

        assertThat(session.commit(target, pending, 6)).isEqualTo(CommitOutcome.COMMITTED);
        assertThat(Files.readString(local(target))).isEqualTo("hello\n");

        assertThat(session.commit(target, pending, 6)).isEqualTo(CommitOutcome.ALREADY_COMMITTED);
        assertThat(Files.readString(local(target))).isEqualTo("hello\n");
        assertThat(Files.list(local(target).getParent()).count()).isEqualTo(1);
    }

    @Test
    void neverReplacesAFileItDidNotWrite() throws Exception {
        StorageSession session = FileSystemStorage.INSTANCE.open(base());
        Path target = new Path(base(), "part-u-1");
        RecoverableWriter.CommitRecoverable pending = pendingFile(session, target, "ours\n");
        Files.writeString(local(target), "someone else's\n");

        assertThatThrownBy(() -> session.commit(target, pending, 5))
                .isInstanceOf(CommitConflictException.class)
                .hasMessageContaining(target.toString());
        assertThat(Files.readString(local(target))).isEqualTo("someone else's\n");
    }

    @Test
    void aLostPendingFileIsReportedNotIgnored() throws Exception {
        StorageSession session = FileSystemStorage.INSTANCE.open(base());
        Path target = new Path(base(), "part-u-2");
        RecoverableWriter.CommitRecoverable pending = pendingFile(session, target, "data\n");
        try (var hidden = Files.list(dir)) {
            hidden.filter(p -> p.getFileName().toString().startsWith(".")).forEach(p -> p.toFile().delete());
        }
        assertThatThrownBy(() -> session.commit(target, pending, 5)).isInstanceOf(FileNotFoundException.class)
                .hasMessageContaining("part-u-2");
    }

    @Test
    void discardsOnlyTheInProgressFilesTheFilterAccepts() throws Exception {
        StorageSession session = FileSystemStorage.INSTANCE.open(base());
        RecoverableWriter writer = session.recoverableWriter();
        writer.open(new Path(base(), "a/part-x-0")).persist();
        writer.open(new Path(base(), "a/b/part-x-1")).persist();
        writer.open(new Path(base(), "a/part-y-0")).persist();
        Files.writeString(dir.resolve("part-x-5"), "finished files are never touched");

        int discarded = session.discardOrphans(name -> name.startsWith("part-x-"));

        assertThat(discarded).isEqualTo(2);
        try (var files = Files.walk(dir)) {
            assertThat(files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()))
                    .hasSize(2)
                    .anyMatch(name -> name.startsWith(".part-y-0.inprogress."))
                    .contains("part-x-5");
        }
    }

    @Test
    void discardsByDirectoryLookOnlyDirectlyInTheGivenDirectories() throws Exception {
        StorageSession session = FileSystemStorage.INSTANCE.open(base());
        RecoverableWriter writer = session.recoverableWriter();
        writer.open(new Path(base(), "a/part-x-0")).persist();
        writer.open(new Path(base(), "a/b/part-x-1")).persist();
        writer.open(new Path(base(), "c/part-x-2")).persist();

        assertThat(session.discardsOrphansByDirectory()).isTrue();
        int discarded = session.discardOrphans(name -> name.startsWith("part-x-"),
                java.util.List.of(new Path(base(), "a"), new Path(base(), "a"), new Path(base(), "missing")));

        assertThat(discarded).isEqualTo(1);
        try (var files = Files.walk(dir)) {
            assertThat(files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()))
                    .hasSize(2)
                    .anyMatch(name -> name.startsWith(".part-x-1.inprogress."))
                    .anyMatch(name -> name.startsWith(".part-x-2.inprogress."));
        }
    }

    @Test
    void aBasePathThatCannotBeWrittenIsNamedInTheError() throws Exception {
        Files.writeString(dir.resolve("a-file"), "x");
        Path unwritable = new Path(dir.resolve("a-file").resolve("out").toUri());
        StorageSession session = FileSystemStorage.INSTANCE.open(unwritable);
        assertThatThrownBy(session::checkWritable)
                .isInstanceOf(IOException.class)
                .hasMessageContaining(unwritable.toString())
                .hasMessageContaining("not writable");
    }

    @Test
    void inProgressNamesMapBackToFinalNames() {
        assertThat(FileSystemStorageSession.finalNameOfInProgressFile(".part-u-3.txt.inprogress.1234")).isEqualTo("part-u-3.txt");
        assertThat(FileSystemStorageSession.finalNameOfInProgressFile("part-u-3.txt")).isNull();
        assertThat(FileSystemStorageSession.finalNameOfInProgressFile(".hidden")).isNull();
    }

    private Path base() {
        return new Path(dir.toUri());
    }

    private static java.nio.file.Path local(Path path) {
        return java.nio.file.Path.of(path.toUri());
    }

    private static RecoverableWriter.CommitRecoverable pendingFile(StorageSession session, Path target, String content)
            throws IOException {
        RecoverableFsDataOutputStream out = session.recoverableWriter().open(target);
        out.write(content.getBytes(StandardCharsets.UTF_8));
        return out.closeForCommit().getRecoverable();
    }
}
