package dev.filesink.it;

import dev.filesink.FileSink;
import dev.filesink.testing.MiniHdfs;
import dev.filesink.testing.RerunContract;
import dev.filesink.testing.RerunScenarios;

import org.apache.flink.api.common.serialization.SimpleStringEncoder;
import org.apache.flink.core.fs.Path;

import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Runs that meet each other's files in HDFS (MiniDFSCluster): reruns with one job id, a shared base path. */
class HdfsRerunITCase extends RerunContract {

    @TempDir static java.nio.file.Path hdfsBase;

    private static MiniHdfs hdfs;
    private static FileSystem fileSystem;

    @BeforeAll
    static void startHdfs() throws Exception {
        hdfs = MiniHdfs.start(hdfsBase);
        fileSystem = hdfs.fileSystem();
    }

    @AfterAll
    static void stopHdfs() {
        if (hdfs != null) {
            hdfs.close();
        }
    }

    @Override
    protected RerunScenarios.StorageUnderTest storage() {
        return new HdfsFolder();
    }

    /** Folders of the MiniDFSCluster, read through Hadoop's own client. */
    private static final class HdfsFolder implements RerunScenarios.StorageUnderTest {

        @Override
        public FileSink.DefaultRowFormatBuilder<String> rowFormat(String dir) {
            return FileSink.forRowFormat(new Path(hdfs.uri() + "/" + dir), new SimpleStringEncoder<String>());
        }

        @Override
        public Map<String, byte[]> finished(String dir) throws IOException {
            Map<String, byte[]> files = new LinkedHashMap<>();
            for (org.apache.hadoop.fs.Path file : files(dir, false)) {
                try (InputStream in = fileSystem.open(file)) {
                    files.put(file.getParent().getName() + "/" + file.getName(), in.readAllBytes());
                }
            }
            return files;
        }

        @Override
        public List<String> unfinished(String dir) throws IOException {
            return files(dir, true).stream().map(org.apache.hadoop.fs.Path::toString).toList();
        }

        @Override
        public Optional<String> inProgressTarget(String dir) throws IOException {
            for (org.apache.hadoop.fs.Path file : files(dir, true)) {
                String name = file.getName();
                int marker = name.indexOf(".inprogress.");
                if (marker > 0) {
                    return Optional.of(file.getParent().getName() + "/" + name.substring(1, marker));
                }
            }
            return Optional.empty();
        }

        @Override
        public void placeByHand(String dir, String relativePath, byte[] content) throws IOException {
            try (OutputStream out = fileSystem.create(new org.apache.hadoop.fs.Path("/" + dir + "/" + relativePath))) {
                out.write(content);
            }
        }

        @Override
        public org.apache.flink.configuration.Configuration clusterConfig() {
            return MiniHdfs.flinkConfig();
        }

        private static List<org.apache.hadoop.fs.Path> files(String dir, boolean hidden) throws IOException {
            List<org.apache.hadoop.fs.Path> found = new ArrayList<>();
            org.apache.hadoop.fs.Path base = new org.apache.hadoop.fs.Path("/" + dir);
            if (!fileSystem.exists(base)) {
                return found;
            }
            RemoteIterator<LocatedFileStatus> files = fileSystem.listFiles(base, true);
            while (files.hasNext()) {
                org.apache.hadoop.fs.Path file = files.next().getPath();
                if (file.getName().startsWith(".") == hidden) {
                    found.add(file);
                }
            }
            return found;
        }
    }
}
