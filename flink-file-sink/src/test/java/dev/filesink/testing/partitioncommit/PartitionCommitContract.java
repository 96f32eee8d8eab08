package dev.filesink.testing.partitioncommit;

import dev.filesink.FileSink;
import dev.filesink.partitioncommit.PartitionCommit;
import dev.filesink.partitioncommit.PartitionCommitter;
import dev.filesink.partitioncommit.PartitionTimeExtractor;
import dev.filesink.rollingpolicies.DefaultRollingPolicy;
import dev.filesink.storage.PartFileStorage;
import dev.filesink.testing.FinishedFiles;
import dev.filesink.testing.VisibleOutputWatcher;

import org.apache.flink.api.common.serialization.SimpleStringEncoder;
import org.apache.flink.core.fs.Path;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every partition commit test checks, on any storage seen through an {@link OutputView}: success files appear
 * once, only after every file they list is visible, and never change; at the end each lists exactly its partition's
 * files; manifests list every committed file once; every record is read back once; nothing hidden is left but the
 * sink's own bookkeeping. Success files must be written with JSON content ({@code SuccessFile...withJsonContent()}).
 */
public final class PartitionCommitContract {

    private static final ObjectMapper JSON = new ObjectMapper();

    private PartitionCommitContract() {}

    /** Partition commit as the contract's jobs use it: hours of {@link EventTimeRecords}, UTC, one minute's delay. */
    public static PartitionCommit.Builder eventTimeSettings() {
        return PartitionCommit.builder()
                .timeExtractor(PartitionTimeExtractor.pattern(EventTimeRecords.PATTERN, EventTimeRecords.FORMATTER)
                        .withZone(ZoneOffset.UTC))
                .delay(Duration.ofMinutes(1));
    }

    /** The contract's sink: hourly buckets, files of 100 records, frequent bucket checks, on the given storage. */
    public static FileSink<String> sink(Path basePath, PartFileStorage storage, PartitionCommit partitionCommit) {
        return FileSink.forRowFormat(basePath, new SimpleStringEncoder<String>())
                .withStorage(storage)
                .withBucketAssigner(new EventTimeRecords.HourAssigner())
                .withRollingPolicy(DefaultRollingPolicy.builder().withMaxRecordCount(100).build())
                .withBucketCheckInterval(100)
                .withPartitionCommit(partitionCommit)
                .build();
    }

    /** Watches success files as they appear: each must list only files already visible. */
    public static VisibleOutputWatcher watchSuccessFiles(OutputView view, String successFileName) {
        return new VisibleOutputWatcher("success-files",
                () -> successFiles(view.list(), successFileName),
                successFile -> {
                    Set<String> visible = view.list().keySet();
                    for (String listed : listedFiles(view, successFile)) {
                        if (!visible.contains(listed)) {
                            throw new AssertionError("success file " + successFile + " lists " + listed
                                    + ", not visible yet");
                        }
                    }
                },
                20);
    }

    /** Success files (any announcement) below the base path, with their fingerprints. */
    public static Map<String, String> successFiles(Map<String, String> listing, String successFileName) {
        Map<String, String> result = new TreeMap<>();
        listing.forEach((path, fingerprint) -> {
            String name = path.substring(path.lastIndexOf('/') + 1);
            if (name.equals(successFileName) || name.startsWith(successFileName + ".")) {
                result.put(path, fingerprint);
            }
        });
        return result;
    }

    /**
     * The end state: every partition with part files has exactly one first success file, which lists exactly its
     * part files (no late records were written); the part files hold every record 0..count-1 exactly once.
     */
    public static void assertCompleteAndExactlyOnce(OutputView view, String successFileName, long count) {
        assertCompleteAndExactlyOnce(view, successFileName, count, partition -> true);
    }

    /** As above, for the partitions {@code checked} accepts (the others are ignored, files and records). */
    public static void assertCompleteAndExactlyOnce(
            OutputView view, String successFileName, long count, Predicate<String> checked) {
        Map<String, String> listing = new TreeMap<>(view.list());
        listing.keySet().removeIf(path -> !isBookkeeping(path) && !checked.test(parent(path)));
        Map<String, Set<String>> partFilesByPartition = new TreeMap<>();
        List<String> lines = new ArrayList<>();
        for (String path : listing.keySet()) {
            if (isPartFile(path)) {
                partFilesByPartition.computeIfAbsent(parent(path), p -> new TreeSet<>()).add(path);
                lines.addAll(Arrays.asList(new String(view.read(path), StandardCharsets.UTF_8).split("\n")));
            }
        }
        FinishedFiles.assertRecordsExactlyOnce(lines, count);
        Map<String, String> successFiles = successFiles(listing, successFileName);
        assertThat(successFiles.keySet()).as("only first announcements (no late records)")
                .allMatch(path -> path.endsWith("/" + successFileName));
        Set<String> announced = new TreeSet<>();
        for (String successFile : successFiles.keySet()) {
            String partition = parent(successFile);
            announced.add(partition);
            assertThat(new TreeSet<>(listedFiles(view, successFile)))
                    .as("files that %s lists", successFile)
                    .isEqualTo(partFilesByPartition.get(partition));
        }
        assertThat(announced).as("partitions announced").isEqualTo(partFilesByPartition.keySet());
        List<String> leftovers = listing.keySet().stream()
                .filter(path -> !isPartFile(path) && !successFiles.containsKey(path) && !isBookkeeping(path))
                .toList();
        assertThat(leftovers).as("hidden or temporary files left").isEmpty();
    }

    /** Every committed part file is listed in exactly one manifest of exactly one series. */
    public static void assertManifestsListEveryFileOnce(OutputView view) {
        assertManifestsListEveryFileOnce(view, partition -> true);
    }

    /** As above, only for the files of the partitions {@code checked} accepts. */
    public static void assertManifestsListEveryFileOnce(OutputView view, Predicate<String> checked) {
        Map<String, String> listing = view.list();
        Set<String> series = new HashSet<>();
        List<String> listed = new ArrayList<>();
        for (String path : listing.keySet()) {
            if (path.startsWith(PartitionCommitter.MANIFESTS + "/")) {
                series.add(path.split("/")[1]);
                JsonNode manifest = parse(view, path);
                assertThat(manifest.get("files").size()).as("files in manifest %s", path).isPositive();
                manifest.get("files").forEach(file -> listed.add(relative(file.get("path").asText())));
            }
        }
        listed.removeIf(path -> !checked.test(parent(path)));
        assertThat(series).as("manifest series").hasSize(1);
        List<String> partFiles = listing.keySet().stream()
                .filter(path -> isPartFile(path) && checked.test(parent(path))).sorted().toList();
        assertThat(listed.stream().sorted().toList()).as("files the manifests list").isEqualTo(partFiles);
    }

    /** The part files a success file lists, relative to the base path. */
    public static List<String> listedFiles(OutputView view, String successFile) {
        List<String> files = new ArrayList<>();
        parse(view, successFile).get("files").forEach(file -> files.add(relative(file.get("path").asText())));
        return files;
    }

    public static JsonNode parse(OutputView view, String path) {
        try {
            return JSON.readTree(view.read(path));
        } catch (IOException e) {
            throw new UncheckedIOException("Not JSON: " + path, e);
        }
    }

    /** A listed absolute path, relative to the base path: from its partition's first {@code key=} segment on. */
    private static String relative(String absolute) {
        String path = URI.create(absolute).getPath();
        String[] segments = path.split("/");
        for (int i = 0; i < segments.length; i++) {
            if (segments[i].contains("=")) {
                return String.join("/", Arrays.copyOfRange(segments, i, segments.length));
            }
        }
        throw new AssertionError("No partition segment in " + absolute);
    }

    private static boolean isPartFile(String path) {
        for (String segment : path.split("/")) {
            if (segment.startsWith(".") || segment.startsWith("_")) {
                return false;
            }
        }
        return true;
    }

    private static boolean isBookkeeping(String path) {
        return path.startsWith(PartitionCommitter.COMPLETION_RECORDS + "/")
                || path.startsWith(PartitionCommitter.MANIFESTS + "/");
    }

    private static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash);
    }
}
