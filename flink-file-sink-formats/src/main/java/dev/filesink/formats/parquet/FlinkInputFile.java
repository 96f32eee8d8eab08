package dev.filesink.formats.parquet;

import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.apache.parquet.io.DelegatingSeekableInputStream;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;

import java.io.IOException;

/** Parquet's view of a file on any of Flink's file systems. */
final class FlinkInputFile implements InputFile {

    private final Path path;
    private final FileSystem fileSystem;
    private final long length;

    FlinkInputFile(Path path) throws IOException {
        this.path = path;
        this.fileSystem = path.getFileSystem();
        this.length = fileSystem.getFileStatus(path).getLen();
    }

    @Override
    public long getLength() {
        return length;
    }

    @Override
    public SeekableInputStream newStream() throws IOException {
        FSDataInputStream in = fileSystem.open(path);
        return new DelegatingSeekableInputStream(in) {
            @Override
            public long getPos() throws IOException {
                return in.getPos();
            }

            @Override
            public void seek(long newPos) throws IOException {
                in.seek(newPos);
            }
        };
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
