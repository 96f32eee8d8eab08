package dev.filesink.storage;

import org.apache.flink.core.fs.Path;

import java.io.IOException;

/**
 * The default storage: the base path's Flink {@code FileSystem} and its {@code RecoverableWriter} (local file
 * system, HDFS, or any Flink file system that supports recoverable writers).
 */
public final class FileSystemStorage implements PartFileStorage {

    private static final long serialVersionUID = 1L;

    public static final FileSystemStorage INSTANCE = new FileSystemStorage();

    private FileSystemStorage() {}

    @Override
    public StorageSession open(Path basePath) throws IOException {
        return new FileSystemStorageSession(basePath);
    }

    @Override
    public String toString() {
        return "FileSystemStorage";
    }

    private Object readResolve() {
        return INSTANCE;
    }
}
