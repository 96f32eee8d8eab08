package dev.filesink.s3.testing;

import dev.filesink.s3.S3Destination;
import dev.filesink.s3.S3Storage;
import dev.filesink.storage.StorageSession;

import org.apache.flink.core.fs.Path;

import java.io.IOException;
import java.util.Random;

/** One bucket of the test server as the storage tests use it: sessions below a prefix, part file paths, raw objects. */
public final class S3TestBucket {

    private final S3Server server;
    private final String bucket;

    public S3TestBucket(S3Server server, String bucket) {
        this.server = server;
        this.bucket = bucket;
    }

    /** The sink's storage session on {@code s3://bucket/prefix} with the given settings. */
    public StorageSession session(String prefix, S3Destination destination) throws IOException {
        return S3Storage.of(destination).open(new Path("s3://" + bucket + "/" + prefix));
    }

    /** Where a part file named {@code name} below the prefix becomes visible. */
    public Path target(String prefix, String name) {
        return new Path("s3://" + bucket + "/" + prefix + "/" + name);
    }

    /** The object's content, as S3 returns it. */
    public byte[] read(String key) {
        return server.client().getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
    }

    /** Reproducible random content. */
    public static byte[] randomBytes(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }
}
