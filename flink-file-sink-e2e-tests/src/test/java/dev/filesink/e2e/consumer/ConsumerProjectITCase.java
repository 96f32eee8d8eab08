package dev.filesink.e2e.consumer;

import dev.filesink.e2e.LocalFolder;
import dev.filesink.e2e.cluster.FlinkDistribution;
import dev.filesink.e2e.servers.AzuriteServer;
import dev.filesink.e2e.servers.S3TestServer;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A user's own job project, outside the reactor ({@code src/test/consumer}), declares our published artifacts as
 * docs/ shows them plus Flink as a job's pom has it, and is built with this build's Maven against a repository under
 * target/ (the enforcer's dependencyConvergence and requireUpperBoundDeps run in that build). Its job writes the
 * same orders in every format to a local folder, to S3 (s3proxy) and to Azure (Azurite) on a MiniCluster; every
 * file is read back with its format's reader. Once with the plain formats artifact, once with the shaded one. The job
 * also writes the orders partitioned with a success file per partition (partition commit).
 */
class ConsumerProjectITCase {

    private static final long COUNT = 3_000;
    private static final Pattern JACKSON = Pattern.compile("com\\.fasterxml\\.jackson\\.core:(jackson-\\w+):jar:([^:]+):");

    private final Path work = Path.of(System.getProperty("consumer.work.dir", "target/consumer")).toAbsolutePath();

    @Test
    void aJobProjectOnThePublishedArtifactsWritesEveryFormatLocallyToS3AndToAzure() throws Exception {
        Path repository = work.resolve("repository");
        new PublishedArtifacts(Path.of(property("consumer.reactor.root")), property("consumer.filesink.version"))
                .installInto(repository);
        ConsumerBuild build = new ConsumerBuild(
                Path.of(property("maven.home")), Path.of(property("consumer.outer.repository")), repository, versions());

        try (S3TestServer s3 = S3TestServer.start(); AzuriteServer azurite = AzuriteServer.start(work.resolve("logs"))) {
            for (String classifier : List.of("", "shaded")) {
                String name = classifier.isEmpty() ? "plain" : classifier;
                Path project = work.resolve(name);
                deleteTree(project);
                String classPath = build.build(Path.of(property("consumer.project")), project, classifier);
                assertOneJacksonVersion(project.resolve("target/dependency-tree.txt"));

                String bucket = "consumer-" + name;
                s3.createBucket(bucket);
                azurite.createContainer(bucket);
                Path local = project.resolve("output");
                runJob(project, classPath, List.of(String.valueOf(COUNT), local.toString(),
                        s3.endpoint(), bucket, S3TestServer.ACCESS_KEY, S3TestServer.SECRET_KEY,
                        azurite.endpoint(), bucket, AzuriteServer.KEY));

                assertLocalFolder(local);
                assertPartitionedFolder(project.resolve("output-partitioned"));
                assertS3Bucket(s3, bucket, project.resolve("downloaded-s3"));
                assertAzureContainer(azurite, bucket, project.resolve("downloaded-azure"));
            }
        }
    }

    /** The consumer's tree holds one version of each Jackson module, and databind's matches core's. */
    private static void assertOneJacksonVersion(Path tree) throws IOException {
        Map<String, String> versions = new TreeMap<>();
        Matcher matcher = JACKSON.matcher(Files.readString(tree));
        while (matcher.find()) {
            String previous = versions.put(matcher.group(1), matcher.group(2));
            assertThat(previous == null || previous.equals(matcher.group(2)))
                    .as("one version of %s in %s", matcher.group(1), tree).isTrue();
        }
        assertThat(versions).containsKeys("jackson-core", "jackson-databind");
        assertThat(versions.get("jackson-core")).isEqualTo(versions.get("jackson-databind"));
    }

    private void runJob(Path project, String classPath, List<String> args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx1g");
        command.addAll(FlinkDistribution.JAVA_17_OPTIONS);
        command.add("-cp");
        command.add(project.resolve("target/classes") + java.io.File.pathSeparator + classPath);
        command.add("com.example.filesink.AllFormatsJob");
        command.addAll(args);
        Path log = project.resolve("job.log");
        Process job = new ProcessBuilder(command).directory(project.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!job.waitFor(Duration.ofMinutes(3).toSeconds(), TimeUnit.SECONDS)) {
            job.destroyForcibly();
            throw new AssertionError("The consumer job did not finish in 3 minutes; see " + log);
        }
        assertThat(job.exitValue()).as("the consumer job's exit code; its output:\n%s", ConsumerBuild.tail(log, 80))
                .isZero();
    }

    private static void assertLocalFolder(Path local) throws IOException {
        for (String format : OrderIds.FORMATS) {
            List<Long> ids = new ArrayList<>();
            for (Path file : LocalFolder.visibleFiles(local.resolve(format))) {
                ids.addAll(OrderIds.read(format, file));
            }
            assertExactlyOnce("local " + format, ids);
        }
        assertThat(LocalFolder.hiddenFiles(local)).as("unfinished files in the local folder").isEmpty();
    }

    /** Partition commit (BATCH): every shard has a _SUCCESS file listing exactly its part files. */
    private static void assertPartitionedFolder(Path partitioned) throws IOException {
        List<Long> ids = new ArrayList<>();
        for (int shard = 0; shard < 3; shard++) {
            Path partition = partitioned.resolve("shard=" + shard);
            List<Path> partFiles = LocalFolder.visibleFiles(partition);
            assertThat(partFiles).as("part files of %s", partition).isNotEmpty();
            String successFile = Files.readString(partition.resolve("_SUCCESS"));
            for (Path partFile : partFiles) {
                ids.addAll(OrderIds.read("text", partFile));
                assertThat(successFile).as("_SUCCESS of %s", partition).contains(partFile.getFileName().toString());
            }
            assertThat(successFile.split("\"path\"", -1)).as("files that _SUCCESS of %s lists", partition)
                    .hasSize(partFiles.size() + 1);
        }
        assertExactlyOnce("local, partitioned", ids);
    }

    private static void assertS3Bucket(S3TestServer s3, String bucket, Path downloads) throws IOException {
        for (String format : OrderIds.FORMATS) {
            List<Long> ids = new ArrayList<>();
            for (String key : s3.finishedObjects(bucket, format + "/").keySet()) {
                ids.addAll(OrderIds.read(format, download(downloads, key, s3.bytes(bucket, key))));
            }
            assertExactlyOnce("S3 " + format, ids);
        }
        assertThat(s3.hiddenObjects(bucket, "")).as("unfinished or staging objects in the bucket").isEmpty();
        assertThat(s3.openUploads(bucket)).as("open multipart uploads").isEmpty();
    }

    private static void assertAzureContainer(AzuriteServer azurite, String container, Path downloads) throws IOException {
        for (String format : OrderIds.FORMATS) {
            List<Long> ids = new ArrayList<>();
            for (String name : azurite.committedBlobs(container, format + "/").keySet()) {
                ids.addAll(OrderIds.read(format, download(downloads, name, azurite.bytes(container, name))));
            }
            assertExactlyOnce("Azure " + format, ids);
        }
        // Each writer's start-up write check stages one block on a probe blob that is never committed.
        assertThat(azurite.blobsWithUncommittedBlocks(container, ""))
                .as("part files staged and never committed")
                .allMatch(name -> name.substring(name.lastIndexOf('/') + 1).startsWith("_filesink-write-check-"));
        assertThat(azurite.committedBlobs(container, "").keySet())
                .as("every committed blob is a finished part file of one of the formats")
                .allMatch(name -> OrderIds.FORMATS.contains(name.substring(0, name.indexOf('/')))
                        && !name.substring(name.indexOf('/') + 1).startsWith("_")
                        && !name.substring(name.indexOf('/') + 1).startsWith("."));
    }

    private static Path download(Path folder, String key, byte[] content) throws IOException {
        Path file = folder.resolve(key);
        Files.createDirectories(file.getParent());
        Files.write(file, content);
        return file;
    }

    private static void assertExactlyOnce(String output, List<Long> ids) {
        assertThat(ids).as("%s: records", output).hasSize((int) COUNT).doesNotHaveDuplicates();
        assertThat(ids.stream().mapToLong(Long::longValue).min().orElse(-1)).as("%s: first id", output).isZero();
        assertThat(ids.stream().mapToLong(Long::longValue).max().orElse(-1)).as("%s: last id", output)
                .isEqualTo(COUNT - 1);
    }

    private static Map<String, String> versions() {
        Map<String, String> versions = new TreeMap<>();
        versions.put("filesink.version", property("consumer.filesink.version"));
        for (String name : List.of("flink.version", "hadoop.version", "hive.version", "maven-enforcer-plugin.version",
                "maven-resources-plugin.version", "maven-compiler-plugin.version", "maven-dependency-plugin.version")) {
            versions.put(name, property("consumer." + name));
        }
        return versions;
    }

    private static String property(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("System property " + name + " is not set (the e2e module's failsafe "
                    + "configuration sets it)");
        }
        return value;
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(path);
            }
        }
    }
}
