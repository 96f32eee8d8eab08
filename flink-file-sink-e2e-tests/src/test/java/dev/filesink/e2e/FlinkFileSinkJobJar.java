package dev.filesink.e2e;

import dev.filesink.example.FlinkFileSinkExampleJob;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * A job jar that writes with Flink's own FileSink: the example's fat jar (so the source and its uids are the same),
 * plus {@link FlinkFileSinkExampleJob} from the test classes and Flink's flink-connector-files, which a Flink
 * distribution ships inside flink-dist but our cluster's lib/ (assembled from Maven Central) does not have.
 */
final class FlinkFileSinkJobJar {

    static final String MAIN_CLASS = FlinkFileSinkExampleJob.class.getName();

    private FlinkFileSinkJobJar() {}

    static Path build(Path exampleJar, Path target) throws IOException {
        Set<String> written = new HashSet<>();
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(target))) {
            copyJar(exampleJar, out, written);
            copyJar(locationOf(org.apache.flink.connector.file.sink.FileSink.class), out, written);
            Path testClasses = locationOf(FlinkFileSinkExampleJob.class);
            Path packageDir = testClasses.resolve(FlinkFileSinkExampleJob.class.getPackageName().replace('.', '/'));
            try (Stream<Path> files = Files.list(packageDir)) {
                for (Path file : files.filter(f -> f.getFileName().toString().startsWith("FlinkFileSinkExampleJob"))
                        .toList()) {
                    String name = testClasses.relativize(file).toString().replace('\\', '/');
                    if (written.add(name)) {
                        out.putNextEntry(new JarEntry(name));
                        Files.copy(file, out);
                        out.closeEntry();
                    }
                }
            }
        }
        return target;
    }

    private static void copyJar(Path jar, JarOutputStream out, Set<String> written) throws IOException {
        try (JarFile in = new JarFile(jar.toFile())) {
            for (JarEntry entry : java.util.Collections.list(in.entries())) {
                String name = entry.getName();
                if (entry.isDirectory() || isSignature(name) || !written.add(name)) {
                    continue;
                }
                out.putNextEntry(new JarEntry(name));
                try (InputStream data = in.getInputStream(entry)) {
                    data.transferTo(out);
                }
                out.closeEntry();
            }
        }
    }

    private static boolean isSignature(String name) {
        String upper = name.toUpperCase(java.util.Locale.ROOT);
        return upper.startsWith("META-INF/")
                && List.of(".SF", ".DSA", ".RSA", ".EC").stream().anyMatch(upper::endsWith);
    }

    private static Path locationOf(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("Cannot locate the classes of " + type, e);
        }
    }
}
