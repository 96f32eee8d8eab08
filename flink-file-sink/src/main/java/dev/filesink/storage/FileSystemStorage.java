package dev.filesink.storage;

import org.apache.flink.core.fs.Path;

import java.io.IOException;
import java.util.Map;

/**
 * The default storage: the base path's Flink {@code FileSystem} and its {@code RecoverableWriter} (local file
 * system, HDFS, or any Flink file system that supports recoverable writers).
 */
public final class FileSystemStorage implements PartFileStorage {

    private static final long serialVersionUID = 1L;

    /** The option Flink's Hadoop file system reads from {@code createRecoverableWriter(Map)}. */
    static final String HDFS_NO_LOCAL_WRITE = "fs.hdfs.no-local-write";

    public static final FileSystemStorage INSTANCE = new FileSystemStorage(false);

    /**
     * As {@link #INSTANCE}, but HDFS places no replica of a part file's blocks on the writer's own data node (the
     * sink builders' {@code disableLocalWriting()}); other file systems ignore it, as with Flink's sink.
     */
    public static final FileSystemStorage WITHOUT_LOCAL_WRITING = new FileSystemStorage(true);

    private final boolean noLocalWrite;

    private FileSystemStorage(boolean noLocalWrite) {
        this.noLocalWrite = noLocalWrite;
    }

    /** Whether HDFS is asked not to write a replica on the local data node. */
    public boolean localWritingDisabled() {
        return noLocalWrite;
    }

    @Override
    public StorageSession open(Path basePath) throws IOException {
        return new FileSystemStorageSession(basePath, writerOptions());
    }

    /** What {@code FileSystem.createRecoverableWriter(Map)} gets. */
    Map<String, String> writerOptions() {
        return noLocalWrite ? Map.of(HDFS_NO_LOCAL_WRITE, "true") : Map.of();
    }

    @Override
    public String toString() {
        return noLocalWrite ? "FileSystemStorage(no local writing)" : "FileSystemStorage";
    }

    private Object readResolve() {
        return noLocalWrite ? WITHOUT_LOCAL_WRITING : INSTANCE;
    }
}
