package dev.filesink.example;

import dev.filesink.s3.S3Destination;
import dev.filesink.s3.S3Location;
import dev.filesink.s3.S3Storage;
import dev.filesink.s3.config.S3Options;
import dev.filesink.storage.PartFileStorage;

import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.core.fs.Path;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An S3 bucket and prefix ({@code s3://bucket/prefix}), or of any S3-compatible store via filesink.s3.endpoint. */
final class S3BucketDestination implements Destination {

    private final Path basePath;
    private final S3Location location;
    private final S3Destination settings;

    private S3BucketDestination(Path basePath, S3Destination settings) {
        this.basePath = basePath;
        this.location = S3Location.of(basePath);
        this.settings = settings;
    }

    static S3BucketDestination parse(String destination, ReadableConfig flinkConfig, Map<String, String> jobOptions) {
        Path path = new Path(destination);
        S3Location.of(path); // validates bucket and key, naming the path
        return new S3BucketDestination(path, S3Destination.fromConfiguration(
                ConnectorSettings.collect("filesink.s3.", S3Options.class, flinkConfig, jobOptions)));
    }

    @Override
    public Path basePath() {
        return basePath;
    }

    @Override
    public PartFileStorage storage() {
        return S3Storage.of(settings);
    }

    @Override
    public String describe() {
        return location + (settings.endpoint() != null ? " at " + settings.endpoint() : "");
    }

    /** The AWS SDK is relocated inside the S3 module: the example does not list objects itself. */
    @Override
    public Optional<List<FinishedPartFile>> finishedFiles() {
        return Optional.empty();
    }
}
