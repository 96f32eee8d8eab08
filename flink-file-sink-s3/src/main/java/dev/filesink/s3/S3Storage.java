package dev.filesink.s3;

import dev.filesink.storage.StorageSession;
import dev.filesink.storage.objectstore.ObjectStoreStorage;

import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.core.fs.Path;

import java.io.IOException;

/**
 * Part files on Amazon S3 (or an S3-compatible store) through multipart uploads, for the sink's
 * {@code withStorage(...)}. The base path is {@code s3://bucket/prefix} (or {@code s3a://}).
 *
 * <pre>{@code
 * FileSink.forRowFormat(new Path("s3://my-bucket/events"), new SimpleStringEncoder<String>())
 *     .withStorage(S3Storage.of(S3Destination.builder().region("eu-west-1").build()))
 *     .build();
 * }</pre>
 */
public final class S3Storage extends ObjectStoreStorage<S3Destination> {

    private static final long serialVersionUID = 2L;

    public static S3Storage of(S3Destination destination) {
        return new S3Storage(destination, false);
    }

    /** From the {@code filesink.s3.*} options of a Flink configuration; see {@link dev.filesink.s3.config.S3Options}. */
    public static S3Storage fromConfiguration(ReadableConfig config) {
        return of(S3Destination.fromConfiguration(config));
    }

    private S3Storage(S3Destination destination, boolean hiddenNames) {
        super(destination, hiddenNames, "S3");
    }

    @Override
    public StorageSession open(Path basePath) throws IOException {
        try {
            return new S3StorageSession(destination(), basePath, hiddenNames());
        } catch (IllegalArgumentException e) {
            throw new IOException("Cannot open S3 storage for base path '" + basePath + "': " + e.getMessage(), e);
        }
    }

    /**
     * The variant a compacting sink writes with: part files are kept under hidden names
     * ({@code .<final name>.inprogress.<token>}) until their commit copies them to their final keys, so that a
     * compaction can finish, read and copy them in the store while no reader sees them.
     */
    @Override
    protected S3Storage withHiddenNames() {
        return new S3Storage(destination(), true);
    }
}
