package dev.filesink.storage;

import org.apache.flink.core.fs.Path;

import java.io.Closeable;
import java.io.IOException;

/**
 * A pending part file made readable for a compaction: a path of a Flink file system holding exactly the file's bytes.
 * On a file system that is the hidden in-progress file itself; an object store that cannot read a pending file where
 * it is copies it to the task manager's local disk, and closing the source deletes that copy.
 */
public interface CompactionSource extends Closeable {

    /** Where a compactor reads the pending file. */
    Path path();

    /** Bytes the storage moved through the task manager to make the file readable (a download), else 0. */
    long bytesFetched();

    @Override
    default void close() throws IOException {}

    /** A pending file readable where it is. */
    static CompactionSource inPlace(Path path) {
        return new CompactionSource() {
            @Override
            public Path path() {
                return path;
            }

            @Override
            public long bytesFetched() {
                return 0;
            }
        };
    }
}
