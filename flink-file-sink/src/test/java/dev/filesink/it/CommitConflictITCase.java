package dev.filesink.it;

import dev.filesink.FileSink;
import dev.filesink.journal.JournalFiles;
import dev.filesink.testing.FinishedFiles;
import dev.filesink.testing.RerunContract;
import dev.filesink.testing.RerunScenarios;
import dev.filesink.testing.TestRecords;

import org.apache.flink.api.common.serialization.SimpleStringEncoder;
import org.apache.flink.core.fs.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Commits that meet files they did not write, in a local folder: reruns with a pinned job id, a resubmitted job
 * graph, two jobs sharing a base path, and a file placed at a target by hand.
 */
class CommitConflictITCase extends RerunContract {

    @TempDir static java.nio.file.Path root;

    @Override
    protected RerunScenarios.StorageUnderTest storage() {
        return new LocalFolder();
    }

    @Test
    @Override
    protected void aFilePlacedAtATargetByHand() throws Exception {
        super.aFilePlacedAtATargetByHand();
        // On a file system the pending file that met the conflict is kept, with its records.
        // The failed job's writers' bucket journals stay too (a restart would need them); they hold no records.
        List<java.nio.file.Path> pending = FinishedFiles.hidden(root.resolve("by-hand")).stream()
                .filter(file -> !file.toString().contains(JournalFiles.DIRECTORY)).toList();
        assertThat(pending).as("pending files kept").isNotEmpty();
        for (java.nio.file.Path file : pending) {
            assertThat(Files.readAllLines(file, StandardCharsets.UTF_8))
                    .allSatisfy(line -> assertThat(TestRecords.record(TestRecords.idOf(line))).isEqualTo(line));
        }
    }

    /** A local folder below the test's temporary folder. */
    private static final class LocalFolder implements RerunScenarios.StorageUnderTest {

        @Override
        public FileSink.DefaultRowFormatBuilder<String> rowFormat(String dir) {
            return FileSink.forRowFormat(new Path(root.resolve(dir).toUri()), new SimpleStringEncoder<String>());
        }

        @Override
        public Map<String, byte[]> finished(String dir) throws IOException {
            java.nio.file.Path base = root.resolve(dir);
            Map<String, byte[]> files = new LinkedHashMap<>();
            for (java.nio.file.Path file : FinishedFiles.visible(base)) {
                files.put(base.relativize(file).toString(), Files.readAllBytes(file));
            }
            return files;
        }

        @Override
        public List<String> unfinished(String dir) {
            return FinishedFiles.hidden(root.resolve(dir)).stream().map(java.nio.file.Path::toString).toList();
        }

        @Override
        public Optional<String> inProgressTarget(String dir) {
            java.nio.file.Path base = root.resolve(dir);
            for (java.nio.file.Path hidden : FinishedFiles.hidden(base)) {
                String name = hidden.getFileName().toString();
                int marker = name.indexOf(".inprogress.");
                if (name.startsWith(".") && marker > 0) {
                    return Optional.of(base.relativize(hidden.resolveSibling(name.substring(1, marker))).toString());
                }
            }
            return Optional.empty();
        }

        @Override
        public void placeByHand(String dir, String relativePath, byte[] content) throws IOException {
            Files.write(root.resolve(dir).resolve(relativePath), content);
        }
    }
}
