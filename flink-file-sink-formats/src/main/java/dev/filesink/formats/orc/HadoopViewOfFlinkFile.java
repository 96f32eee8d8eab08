package dev.filesink.formats.orc;

import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FSInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.util.Progressable;

import java.io.IOException;
import java.net.URI;

/**
 * One file of any of Flink's file systems, as the Hadoop file system ORC's reader insists on: it can open the
 * file and tell its length, nothing else.
 */
final class HadoopViewOfFlinkFile extends FileSystem {

    private final org.apache.flink.core.fs.Path file;
    private final long length;

    HadoopViewOfFlinkFile(org.apache.flink.core.fs.Path file) throws IOException {
        this.file = file;
        this.length = file.getFileSystem().getFileStatus(file).getLen();
        setConf(new org.apache.hadoop.conf.Configuration(false)); // FileSystem.open reads its buffer size there
    }

    /** The path to give ORC's reader: whatever path it asks for is this file. */
    Path path() {
        return new Path(file.toUri());
    }

    long length() {
        return length;
    }

    @Override
    public FSDataInputStream open(Path path, int bufferSize) throws IOException {
        return new FSDataInputStream(new SeekableFlinkStream(file.getFileSystem().open(file)));
    }

    @Override
    public FileStatus getFileStatus(Path path) {
        return new FileStatus(length, false, 1, 0, 0, path());
    }

    @Override
    public URI getUri() {
        return file.toUri();
    }

    @Override
    public FSDataOutputStream create(Path path, FsPermission permission, boolean overwrite, int bufferSize,
            short replication, long blockSize, Progressable progress) {
        throw readOnly();
    }

    @Override
    public FSDataOutputStream append(Path path, int bufferSize, Progressable progress) {
        throw readOnly();
    }

    @Override
    public boolean rename(Path source, Path target) {
        throw readOnly();
    }

    @Override
    public boolean delete(Path path, boolean recursive) {
        throw readOnly();
    }

    @Override
    public FileStatus[] listStatus(Path path) {
        return new FileStatus[] {getFileStatus(path)};
    }

    @Override
    public void setWorkingDirectory(Path directory) {}

    @Override
    public Path getWorkingDirectory() {
        return path().getParent();
    }

    @Override
    public boolean mkdirs(Path path, FsPermission permission) {
        throw readOnly();
    }

    private UnsupportedOperationException readOnly() {
        return new UnsupportedOperationException("ORC compaction only reads " + file);
    }

    /** Hadoop's seekable stream over Flink's. */
    private static final class SeekableFlinkStream extends FSInputStream {

        private final org.apache.flink.core.fs.FSDataInputStream in;

        SeekableFlinkStream(org.apache.flink.core.fs.FSDataInputStream in) {
            this.in = in;
        }

        @Override
        public void seek(long position) throws IOException {
            in.seek(position);
        }

        @Override
        public long getPos() throws IOException {
            return in.getPos();
        }

        @Override
        public boolean seekToNewSource(long targetPosition) {
            return false;
        }

        @Override
        public int read() throws IOException {
            return in.read();
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            return in.read(buffer, offset, length);
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
