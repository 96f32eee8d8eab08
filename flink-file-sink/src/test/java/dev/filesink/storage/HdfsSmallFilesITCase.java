package dev.filesink.storage;

import dev.filesink.testing.CreateFileOnceContract;
import dev.filesink.testing.MiniHdfs;

import org.apache.flink.core.fs.Path;

import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Small files written once on HDFS (an in-process MiniDFSCluster): a hidden temporary file renamed into place. */
class HdfsSmallFilesITCase extends CreateFileOnceContract {

    @TempDir static java.nio.file.Path hdfsBase;

    private static final AtomicInteger TESTS = new AtomicInteger();

    private static MiniHdfs hdfs;
    private Path base;
    private StorageSession session;

    @BeforeAll
    static void startHdfs() throws Exception {
        hdfs = MiniHdfs.start(hdfsBase);
    }

    @AfterAll
    static void stopHdfs() {
        if (hdfs != null) {
            hdfs.close();
        }
    }

    @BeforeEach
    void open() throws Exception {
        base = new Path(hdfs.uri() + "/small-files-" + TESTS.incrementAndGet());
        session = FileSystemStorage.INSTANCE.open(base);
    }

    @AfterEach
    void close() throws Exception {
        session.close();
    }

    /** Each HDFS file costs a write pipeline: a few races suffice. */
    @Override
    protected int races() {
        return 3;
    }

    @Override
    protected StorageSession session() {
        return session;
    }

    @Override
    protected Path base() {
        return base;
    }

    @Override
    protected List<String> namesBelowBase() throws Exception {
        FileSystem fs = hdfs.fileSystem();
        org.apache.hadoop.fs.Path root = new org.apache.hadoop.fs.Path(base.toUri());
        List<String> names = new ArrayList<>();
        if (!fs.exists(root)) {
            return names;
        }
        String prefix = fs.getFileStatus(root).getPath().toUri().getPath() + "/";
        RemoteIterator<LocatedFileStatus> files = fs.listFiles(root, true);
        while (files.hasNext()) {
            names.add(files.next().getPath().toUri().getPath().substring(prefix.length()));
        }
        names.sort(null);
        return names;
    }

    @Test
    void aTemporaryFileLeftByACrashGoesWithTheNextCreate() throws Exception {
        FileSystem fs = hdfs.fileSystem();
        org.apache.hadoop.fs.Path crashed = new org.apache.hadoop.fs.Path(base.toUri() + "/p/._SUCCESS.once.crashed");
        fs.create(crashed).close();
        long stale = System.currentTimeMillis() - FileSystemSmallFiles.STALE_AFTER.toMillis() - 1_000;
        fs.setTimes(crashed, stale, stale);

        assertThat(session.readFile(path("p/_SUCCESS"))).isEmpty();
        assertThat(session.createFileOnce(path("p/_SUCCESS"), "done".getBytes(StandardCharsets.UTF_8))).isTrue();

        assertThat(namesBelowBase()).containsExactly("p/_SUCCESS");
    }

    @Test
    void aDirectoryAtThePathIsAnErrorNamingItAndNothingMovesIntoIt() throws Exception {
        hdfs.fileSystem().mkdirs(new org.apache.hadoop.fs.Path(base.toUri() + "/q/_SUCCESS"));

        assertThatThrownBy(() -> session.createFileOnce(path("q/_SUCCESS"), new byte[] {1}))
                .hasMessageContaining(path("q/_SUCCESS").toString());
        assertThat(namesBelowBase()).isEmpty();
    }
}
