package dev.filesink.s3;

import dev.filesink.storage.PartFileStorage;
import dev.filesink.storage.StorageSession;

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
public final class S3Storage implements PartFileStorage {

    private static final long serialVersionUID = 1L;

    private final S3Destination destination;
    /** Whether part files are written under hidden names (a compacting sink), see {@link #forCompaction()}. */
    private final boolean hiddenNames;

    S3Storage(S3Destination destination) {
        this(destination, false);
    }

    private S3Storage(S3Destination destination, boolean hiddenNames) {
        if (destination == null) {
            throw new IllegalArgumentException("S3 destination must not be null");
        }
        this.destination = destination;
        this.hiddenNames = hiddenNames;
    }

    public static S3Storage of(S3Destination destination) {
        return new S3Storage(destination);
    }

    /** From the {@code filesink.s3.*} options of a Flink configuration; see {@link dev.filesink.s3.config.S3Options}. */
    public static S3Storage fromConfiguration(ReadableConfig config) {
        return new S3Storage(S3Destination.fromConfiguration(config));
    }

    public S3Destination destination() {
        return destination;
    }

    @Override
    public StorageSession open(Path basePath) throws IOException {
        try {
            return new S3StorageSession(destination, basePath, hiddenNames);
        } catch (IllegalArgumentException e) {
            throw new IOException("Cannot open S3 storage for base path '" + basePath + "': " + e.getMessage(), e);
        }
    }

    /**
     * The variant a compacting sink writes with: part files are kept under hidden names
     * ({@code .<final name>.inprogress.<token>}) until their commit copies them to their final keys, so that a
     * compaction can finish, read and copy them in the store while no reader sees them. Both variants commit the
     * files of both (compaction switched on or off through a savepoint).
     */
    @Override
    public PartFileStorage forCompaction() {
        return hiddenNames ? this : new S3Storage(destination, true);
    }

    @Override
    public String toString() {
        return "S3Storage{" + destination + (hiddenNames ? ", hidden in-progress names" : "") + '}';
    }
}
