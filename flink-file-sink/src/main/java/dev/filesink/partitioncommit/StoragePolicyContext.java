package dev.filesink.partitioncommit;

import dev.filesink.storage.StorageSession;

import org.apache.flink.core.fs.Path;

import java.io.IOException;
import java.util.Optional;

/** The {@link PolicyContext} of the partition committer: small files below the base path, through the sink's storage. */
final class StoragePolicyContext implements PolicyContext {

    private final Path basePath;
    private final StorageSession session;

    StoragePolicyContext(Path basePath, StorageSession session) {
        this.basePath = basePath;
        this.session = session;
    }

    @Override
    public Path basePath() {
        return basePath;
    }

    @Override
    public boolean createFileOnce(String relativePath, byte[] content) throws IOException {
        return session.createFileOnce(resolve(relativePath), content);
    }

    @Override
    public Optional<byte[]> readFile(String relativePath) throws IOException {
        return session.readFile(resolve(relativePath));
    }

    private Path resolve(String relativePath) {
        if (relativePath == null || relativePath.isEmpty() || relativePath.startsWith("/")
                || java.util.Arrays.asList(relativePath.split("/")).contains("..")) {
            throw new IllegalArgumentException("A policy file must lie below the base path: '" + relativePath + "'");
        }
        return new Path(basePath, relativePath);
    }
}
