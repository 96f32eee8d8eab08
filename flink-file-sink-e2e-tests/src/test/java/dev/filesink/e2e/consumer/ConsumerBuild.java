package dev.filesink.e2e.consumer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Builds the consumer project with the reactor's own Maven: a copy of the project with the versions filled in, a
 * settings file whose local repository is under target/ and whose only remote is the outer build's local repository
 * (read through file://, so no network and nothing written to it).
 */
final class ConsumerBuild {

    private final Path mavenHome;
    private final Path outerRepository;
    private final Path repository;
    private final Map<String, String> versions;

    ConsumerBuild(Path mavenHome, Path outerRepository, Path repository, Map<String, String> versions) {
        this.mavenHome = mavenHome;
        this.outerRepository = outerRepository;
        this.repository = repository;
        this.versions = versions;
    }

    /** Builds the project in {@code workDir} with the given formats classifier; returns the job's class path. */
    String build(Path projectSource, Path workDir, String formatsClassifier) throws IOException, InterruptedException {
        copyTree(projectSource, workDir);
        Path pom = workDir.resolve("pom.xml");
        String text = Files.readString(pom);
        for (Map.Entry<String, String> version : versions.entrySet()) {
            text = text.replace("@" + version.getKey() + "@", version.getValue());
        }
        if (text.contains("@")) {
            throw new IllegalStateException("Unfilled version in the consumer pom: " + text.substring(text.indexOf('@')));
        }
        Files.writeString(pom, text);
        Path rangeMetadata = rangeMetadata();
        Path settings = workDir.resolve("settings.xml");
        Files.writeString(settings, "<settings>\n"
                + "  <localRepository>" + repository + "</localRepository>\n"
                + "  <mirrors><mirror><id>outer-build-repository</id><mirrorOf>*,!range-metadata</mirrorOf>"
                + "<url>" + outerRepository.toUri() + "</url></mirror></mirrors>\n"
                + "  <profiles><profile><id>range-metadata</id><repositories><repository><id>range-metadata</id>"
                + "<url>" + rangeMetadata.toUri() + "</url><snapshots><enabled>false</enabled></snapshots>"
                + "</repository></repositories></profile></profiles>\n"
                + "  <activeProfiles><activeProfile>range-metadata</activeProfile></activeProfiles>\n"
                + "</settings>\n");

        Path log = workDir.resolve("maven.log");
        List<String> command = new ArrayList<>(List.of(
                mavenHome.resolve("bin").resolve("mvn").toString(), "-B", "-nsu", "-s", settings.toString(),
                "-Dmaven.repo.local=" + repository, "-Dformats.classifier=" + formatsClassifier,
                "process-classes"));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().remove("MAVEN_ARGS");
        Process process = builder.start();
        if (!process.waitFor(Duration.ofMinutes(5).toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("The consumer build did not finish in 5 minutes; see " + log);
        }
        if (process.exitValue() != 0) {
            throw new AssertionError("The consumer build failed (" + log + "):\n" + tail(log, 60));
        }
        return Files.readString(workDir.resolve("target/classpath.txt"), StandardCharsets.UTF_8).trim();
    }

    /**
     * A repository with the version lists ({@code maven-metadata.xml}) that version ranges need, and those artifacts
     * (Hive's metastore client asks for {@code io.grpc:grpc-core:[1.51.0]}): the outer local repository keeps the lists
     * under its remote's id ({@code maven-metadata-central.xml}), so read as a remote through file:// it has none,
     * where Central has them.
     */
    private Path rangeMetadata() throws IOException {
        Path folder = repository.resolveSibling("range-metadata");
        Files.createDirectories(folder);
        try (Stream<Path> walk = Files.walk(outerRepository)) {
            for (Path file : (Iterable<Path>) walk.filter(f -> f.getFileName().toString()
                    .equals("maven-metadata-central.xml"))::iterator) {
                // Maven takes a version found through a range from the repository that listed it: the artifact's
                // files go along with its version list.
                Path artifactFolder = folder.resolve(outerRepository.relativize(file.getParent()).toString());
                copyTree(file.getParent(), artifactFolder);
                Files.copy(file, artifactFolder.resolve("maven-metadata.xml"),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return folder;
    }

    static String tail(Path file, int lines) throws IOException {
        List<String> all = Files.readAllLines(file);
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path source : (Iterable<Path>) walk::iterator) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
