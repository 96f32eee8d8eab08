package dev.filesink.s3;

import org.apache.flink.core.fs.Path;

import java.net.URI;
import java.util.Locale;

/** A bucket and key, read from an {@code s3://bucket/key} (or {@code s3a://}) path. */
public record S3Location(String bucket, String key) {

    public static S3Location of(Path path) {
        URI uri = path.toUri();
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!"s3".equals(scheme) && !"s3a".equals(scheme)) {
            throw new IllegalArgumentException("Not an S3 path: '" + path + "'; expected s3://bucket/prefix (or s3a://)");
        }
        String bucket = uri.getAuthority();
        if (bucket == null || bucket.isEmpty()) {
            throw new IllegalArgumentException("S3 path '" + path + "' names no bucket; expected s3://bucket/prefix");
        }
        if (bucket.contains("@")) {
            throw new IllegalArgumentException("S3 path names a bucket with credentials in it; put credentials into "
                    + "the sink's S3 options, not the path");
        }
        String key = uri.getPath() == null ? "" : uri.getPath();
        while (key.startsWith("/")) {
            key = key.substring(1);
        }
        while (key.endsWith("/")) {
            key = key.substring(0, key.length() - 1);
        }
        return new S3Location(bucket, key);
    }

    /** The last segment of the key: the file name. */
    public String name() {
        int slash = key.lastIndexOf('/');
        return slash < 0 ? key : key.substring(slash + 1);
    }

    /** The key as a folder prefix: empty for the bucket's root, else the key and a slash. */
    public String folderPrefix() {
        return key.isEmpty() ? "" : key + '/';
    }

    @Override
    public String toString() {
        return "s3://" + bucket + '/' + key;
    }
}
