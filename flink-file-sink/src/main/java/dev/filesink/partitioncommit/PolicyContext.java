package dev.filesink.partitioncommit;

import org.apache.flink.core.fs.Path;

import java.io.IOException;
import java.util.Optional;

/** What a policy learns when it is opened in the partition committer task. */
public interface PolicyContext {

    /** The sink's base path: every partition lies below it. */
    Path basePath();

    /**
     * Writes a small file below the base path exactly once, through the sink's own storage (local, HDFS, S3, Azure):
     * it becomes visible whole or not at all, and an existing file is never replaced.
     *
     * @param relativePath the path below the base path, for example {@code "dt=2026-12-04/_SUCCESS"}
     * @return true if this call created it; false if a file already existed there (left unchanged)
     */
    boolean createFileOnce(String relativePath, byte[] content) throws IOException;

    /** The content of a file below the base path, or empty if there is none (to check what a replay found). */
    Optional<byte[]> readFile(String relativePath) throws IOException;
}
