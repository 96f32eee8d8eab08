package dev.filesink.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Reads what a sink left in a local folder and checks it against exactly-once. */
public final class FinishedFiles {

    private FinishedFiles() {}

    /** Visible (finished) files below the folder: not hidden, in no hidden folder. */
    public static List<Path> visible(Path root) {
        return files(root, false);
    }

    /** Hidden files below the folder: in-progress or pending part files. */
    public static List<Path> hidden(Path root) {
        return files(root, true);
    }

    private static List<Path> files(Path root, boolean hidden) {
        if (!Files.exists(root)) {
            return List.of();
        }
        for (int attempt = 1; ; attempt++) {
            try (Stream<Path> walk = Files.walk(root)) {
                return walk.filter(Files::isRegularFile)
                        .filter(path -> isHidden(root, path) == hidden)
                        .sorted()
                        .toList();
            } catch (IOException | UncheckedIOException e) {
                // A running job renames and deletes files while we walk: look again.
                if (attempt >= 10) {
                    throw e instanceof UncheckedIOException ? (UncheckedIOException) e
                            : new UncheckedIOException((IOException) e);
                }
            }
        }
    }

    private static boolean isHidden(Path root, Path path) {
        for (Path part : root.relativize(path)) {
            if (part.toString().startsWith(".") || part.toString().startsWith("_")) {
                return true;
            }
        }
        return false;
    }

    /** All lines of all finished files. */
    public static List<String> lines(Path root) {
        List<String> lines = new ArrayList<>();
        for (Path file : visible(root)) {
            try {
                lines.addAll(Files.readAllLines(file, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return lines;
    }

    /**
     * Asserts that the finished files hold each test record 0..count-1 exactly once (each line a whole record),
     * and that no in-progress or pending file is left.
     */
    public static void assertExactlyOnce(Path root, long count) {
        assertRecordsExactlyOnce(lines(root), count);
        assertThat(hidden(root)).as("in-progress or pending files left below %s", root).isEmpty();
    }

    /** Asserts that the lines are the test records 0..count-1, each exactly once. */
    public static void assertRecordsExactlyOnce(List<String> lines, long count) {
        Map<Long, Integer> seen = new HashMap<>();
        for (String line : lines) {
            assertThat(line).as("a whole record").isEqualTo(TestRecords.record(TestRecords.idOf(line)));
            seen.merge(TestRecords.idOf(line), 1, Integer::sum);
        }
        List<Long> duplicated = seen.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).sorted().limit(10).toList();
        assertThat(duplicated).as("records written more than once").isEmpty();
        List<Long> missing = new ArrayList<>();
        for (long id = 0; id < count && missing.size() < 10; id++) {
            if (!seen.containsKey(id)) {
                missing.add(id);
            }
        }
        assertThat(missing).as("records missing (first ten)").isEmpty();
        assertThat(seen.size()).as("distinct records").isEqualTo(count);
        assertThat(lines).hasSize((int) count);
    }
}
