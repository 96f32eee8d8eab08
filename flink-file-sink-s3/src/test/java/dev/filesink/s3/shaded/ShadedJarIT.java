package dev.filesink.s3.shaded;

import dev.filesink.s3.testing.S3Server;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The shaded main jar: only relocated classes, and it works with no AWS SDK on the class path. */
class ShadedJarIT {

    private static File shadedJar() {
        File jar = new File(System.getProperty("shaded.jar", "target/flink-file-sink-s3-0.1.0-SNAPSHOT.jar"));
        assertThat(jar).as("the shaded jar (run after package)").exists();
        return jar;
    }

    @Test
    void everyBundledClassIsRelocated() throws Exception {
        List<String> outside = new ArrayList<>();
        List<String> services = new ArrayList<>();
        try (ZipFile zip = new ZipFile(shadedJar())) {
            for (ZipEntry entry : Collections.list(zip.entries())) {
                String name = entry.getName();
                if (name.endsWith(".class") && !name.startsWith("dev/filesink/s3/")) {
                    outside.add(name);
                }
                if (name.startsWith("META-INF/services/") && !entry.isDirectory()) {
                    services.add(name);
                }
            }
            assertThat(zip.getEntry("dev/filesink/s3/shaded/software/amazon/awssdk/services/s3/S3Client.class")).isNotNull();
            assertThat(zip.getEntry("dev/filesink/s3/S3Storage.class")).isNotNull();
        }
        assertThat(outside).as("classes outside dev/filesink/s3").isEmpty();
        assertThat(services).isNotEmpty().allSatisfy(name ->
                assertThat(name).startsWith("META-INF/services/dev.filesink.s3.shaded."));
    }

    @Test
    void theShadedJarWritesToS3WithoutTheSdkOnTheClassPath() throws Exception {
        List<URL> urls = new ArrayList<>();
        urls.add(shadedJar().toURI().toURL());
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String normalized = entry.replace('\\', '/');
            boolean bundled = normalized.contains("/software/amazon/") || normalized.contains("/org/reactivestreams/")
                    || normalized.contains("/org/apache/httpcomponents/");
            boolean unshadedClasses = normalized.endsWith("flink-file-sink-s3/target/classes")
                    || normalized.endsWith("flink-file-sink-s3/target/classes/");
            if (!bundled && !unshadedClasses) {
                urls.add(new File(entry).toURI().toURL());
            }
        }
        try (S3Server server = S3Server.start();
                URLClassLoader isolated = new URLClassLoader(urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader())) {
            server.createBucket("shaded");
            assertThatThrownBy(() -> isolated.loadClass("software.amazon.awssdk.services.s3.S3Client"))
                    .isInstanceOf(ClassNotFoundException.class);
            Object outcome = isolated.loadClass(ShadedJarProbe.class.getName())
                    .getMethod("writeAndCommit", String.class, String.class, String.class, String.class, String.class)
                    .invoke(null, server.endpoint().toString(), S3Server.ACCESS_KEY, S3Server.SECRET_KEY,
                            "s3://shaded/out/part-0", "through the shaded jar\n");
            assertThat(outcome.toString()).startsWith("COMMITTED");
            assertThat(server.read("shaded", "out/part-0")).isEqualTo("through the shaded jar\n");
        }
    }
}
