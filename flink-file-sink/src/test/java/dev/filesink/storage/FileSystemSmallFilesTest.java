package dev.filesink.storage;

import dev.filesink.testing.CreateFileOnceContract;

import org.apache.flink.core.fs.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Small files written once on the local file system (hard link of a temporary file), on real files. */
class FileSystemSmallFilesTest extends CreateFileOnceContract {

    @TempDir java.nio.file.Path dir;

    @Override
    protected StorageSession session() throws Exception {
        return FileSystemStorage.INSTANCE.open(base());
    }

    @Override
    protected Path base() {
        return new Path(dir.toUri());
    }

    @Override
    protected List<String> namesBelowBase() throws Exception {
        try (Stream<java.nio.file.Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).map(f -> dir.relativize(f).toString()).sorted().toList();
        }
    }

    @Test
    void aTemporaryFileLeftByACrashIsNeverVisibleAndGoesWithTheNextCreate() throws Exception {
        StorageSession session = session();
        // What a crash between writing and linking leaves: a hidden sibling, not the final name.
        java.nio.file.Path crashed = Files.writeString(dir.resolve("._SUCCESS.once.crashed"), "half");
        Files.setLastModifiedTime(crashed, FileTime.fromMillis(System.currentTimeMillis()
                - FileSystemSmallFiles.STALE_AFTER.toMillis() - 1_000));
        // A temporary file being written right now by a concurrent caller stays.
        Files.writeString(dir.resolve("._SUCCESS.once.concurrent"), "writing");

        assertThat(session.readFile(path("_SUCCESS"))).isEmpty();
        assertThat(session.createFileOnce(path("_SUCCESS"), "done".getBytes(StandardCharsets.UTF_8))).isTrue();

        assertThat(namesBelowBase()).containsExactly("._SUCCESS.once.concurrent", "_SUCCESS");
        assertThat(Files.readString(dir.resolve("_SUCCESS"))).isEqualTo("done");
    }

    @Test
    void aDirectoryAtThePathIsAnErrorNamingIt() throws Exception {
        StorageSession session = session();
        Files.createDirectories(dir.resolve("p/_SUCCESS"));

        assertThatThrownBy(() -> session.createFileOnce(path("p/_SUCCESS"), new byte[] {1}))
                .hasMessageContaining(path("p/_SUCCESS").toString());
        assertThatThrownBy(() -> session.readFile(path("p/_SUCCESS")))
                .hasMessageContaining(path("p/_SUCCESS").toString());
        assertThat(namesBelowBase()).isEmpty();
    }

    @Test
    void aPathWithoutSchemeIsTheLocalFileSystem() throws Exception {
        StorageSession session = FileSystemStorage.INSTANCE.open(new Path(dir.toString()));
        Path success = new Path(dir.toString(), "x/_SUCCESS");

        assertThat(session.createFileOnce(success, new byte[] {7})).isTrue();
        assertThat(session.createFileOnce(success, new byte[] {8})).isFalse();
        assertThat(Files.readAllBytes(dir.resolve("x/_SUCCESS"))).containsExactly(7);
    }
}
