package dev.filesink.s3.testing;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.plugin.DefaultPluginManager;
import org.apache.flink.core.plugin.PluginConfig;
import org.apache.flink.core.plugin.PluginDescriptor;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Stream;

/**
 * One of Flink's own S3 file systems ({@code flink-s3-fs-hadoop}, {@code flink-s3-fs-native}) in this JVM, loaded as a cluster loads it: from its plugin
 * jar (copied to {@code target/flink-plugins} by the build) in a plugin class loader, and registered for
 * {@code s3://} with {@link FileSystem#initialize}. Pointed at the test server. {@link #close()} restores the
 * default file systems.
 */
public final class FlinkS3Plugin implements AutoCloseable {

    private FlinkS3Plugin() {}

    /** {@code flink-s3-fs-hadoop} on the server. */
    public static FlinkS3Plugin hadoopOn(S3Server server) throws IOException {
        Configuration conf = credentials(server);
        conf.setString("s3.endpoint.region", "us-east-1");
        conf.setString("s3.path.style.access", "true");
        return load("s3-fs-hadoop", conf);
    }

    /** {@code flink-s3-fs-native} on the server. */
    public static FlinkS3Plugin nativeOn(S3Server server) throws IOException {
        Configuration conf = credentials(server);
        conf.setString("s3.region", "us-east-1");
        conf.setString("s3.path-style-access", "true");
        conf.setString("s3.chunked-encoding.enabled", "true");
        conf.setString("s3.checksum-validation.enabled", "false");
        return load("s3-fs-native", conf);
    }

    private static Configuration credentials(S3Server server) {
        Configuration conf = new Configuration();
        conf.setString("s3.endpoint", server.endpoint().toString());
        conf.setString("s3.access-key", S3Server.ACCESS_KEY);
        conf.setString("s3.secret-key", S3Server.SECRET_KEY);
        return conf;
    }

    private static FlinkS3Plugin load(String plugin, Configuration conf) throws IOException {
        FileSystem.initialize(conf, new DefaultPluginManager(
                List.of(new PluginDescriptor(plugin, pluginJars(plugin), new String[0])),
                PluginConfig.fromConfiguration(conf).getAlwaysParentFirstPatterns()));
        return new FlinkS3Plugin();
    }

    private static URL[] pluginJars(String plugin) throws IOException {
        Path dir = Paths.get("target", "flink-plugins", plugin);
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException(dir.toAbsolutePath() + " is missing: the build copies Flink's S3"
                    + " plugins there (generate-test-resources)");
        }
        try (Stream<Path> jars = Files.list(dir)) {
            return jars.filter(jar -> jar.toString().endsWith(".jar")).map(jar -> {
                try {
                    return jar.toUri().toURL();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }).toArray(URL[]::new);
        }
    }

    @Override
    public void close() {
        FileSystem.initialize(new Configuration(), null);
    }
}
