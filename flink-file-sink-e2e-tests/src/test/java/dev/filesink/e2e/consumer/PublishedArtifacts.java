package dev.filesink.e2e.consumer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Installs what the reactor publishes (the POM and jars that {@code mvn install} would install) into a Maven
 * repository folder under target/, so a project outside the reactor can depend on them without touching ~/.m2.
 * The shaded S3 and Azure modules publish their dependency-reduced POM, as the shade plugin makes install do; the
 * Hive module (not shaded) its own POM.
 */
final class PublishedArtifacts {

    private static final String GROUP_PATH = "dev/filesink";

    private final Path reactorRoot;
    private final String version;

    PublishedArtifacts(Path reactorRoot, String version) {
        this.reactorRoot = reactorRoot;
        this.version = version;
    }

    void installInto(Path repository) throws IOException {
        install(repository, "flink-file-sink-parent", reactorRoot.resolve("pom.xml"), null, null);
        module(repository, "flink-file-sink", "pom.xml");
        module(repository, "flink-file-sink-formats", "pom.xml");
        install(repository, "flink-file-sink-formats", null,
                jar("flink-file-sink-formats", "-shaded"), "shaded");
        module(repository, "flink-file-sink-s3", "dependency-reduced-pom.xml");
        module(repository, "flink-file-sink-azure", "dependency-reduced-pom.xml");
        module(repository, "flink-file-sink-hive", "pom.xml");
    }

    private void module(Path repository, String artifactId, String pomName) throws IOException {
        install(repository, artifactId, reactorRoot.resolve(artifactId).resolve(pomName), jar(artifactId, ""), null);
    }

    private Path jar(String artifactId, String classifierSuffix) {
        return reactorRoot.resolve(artifactId).resolve("target")
                .resolve(artifactId + "-" + version + classifierSuffix + ".jar");
    }

    private void install(Path repository, String artifactId, Path pom, Path jar, String classifier) throws IOException {
        Path folder = repository.resolve(GROUP_PATH).resolve(artifactId).resolve(version);
        Files.createDirectories(folder);
        String base = artifactId + "-" + version;
        if (pom != null) {
            copy(pom, folder.resolve(base + ".pom"));
        }
        if (jar != null) {
            copy(jar, folder.resolve(base + (classifier == null ? "" : "-" + classifier) + ".jar"));
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        if (!Files.isRegularFile(from)) {
            throw new IllegalStateException(from + " is missing: the consumer project test needs the reactor's "
                    + "packaged modules (run it in the reactor build, e.g. mvn verify, not alone)");
        }
        Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
}
