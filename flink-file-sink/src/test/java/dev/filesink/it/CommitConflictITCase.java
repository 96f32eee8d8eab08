package dev.filesink.it;

import dev.filesink.FileSink;
import dev.filesink.committer.PermanentCommitFailure;
import dev.filesink.rollingpolicies.OnCheckpointRollingPolicy;
import dev.filesink.storage.CommitConflictException;
import dev.filesink.testing.FinishedFiles;
import dev.filesink.testing.Jobs;
import dev.filesink.testing.RerunScenarios;
import dev.filesink.testing.TestRecords;

import org.apache.flink.api.common.serialization.SimpleStringEncoder;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.ExceptionUtils;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Commits that meet files they did not write, in a local folder: reruns with a pinned job id, a resubmitted job
 * graph, two jobs sharing a base path, and a file placed at a target by hand.
 */
class CommitConflictITCase {

    @TempDir static java.nio.file.Path root;

    private final RerunScenarios scenarios = new RerunScenarios(new LocalFolder());

    @Test
    void sameJobIdRunTwice() throws Exception {
        scenarios.sameJobIdRunTwiceKeepsBothRuns("same-job-id");
    }

    @Test
    void sameJobGraphRunTwice() throws Exception {
        scenarios.sameJobGraphRunTwiceFailsLoudlyAndOverwritesNothing("same-job-graph");
    }

    @Test
    void twoJobsSharingABasePath() throws Exception {
        scenarios.twoJobsSharingABasePathKeepEachOthersFiles("shared-base-path");
    }

    @Test
    void aFilePlacedAtATargetByHandFailsTheJobAndStaysAsItWas() throws Exception {
        java.nio.file.Path out = root.resolve("by-hand");
        byte[] byHand = "placed here by hand\n".getBytes(StandardCharsets.UTF_8);
        Configuration conf = Jobs.restarting();
        conf.setString("restart-strategy.fixed-delay.attempts", "2");
        // The first checkpoint (which commits the first part file) comes a second after the start: time enough to
        // see the in-progress file and put a file at its target.
        StreamExecutionEnvironment env = Jobs.streaming(1, 1_000, conf);
        Jobs.records(env, 6_000, 2_000)
                .sinkTo(FileSink.forRowFormat(new Path(out.toUri()), new SimpleStringEncoder<String>())
                        .withRollingPolicy(OnCheckpointRollingPolicy.build())
                        .build());

        AtomicReference<java.nio.file.Path> placed = new AtomicReference<>();
        Thread placer = new Thread(() -> placed.set(placeAtFirstTarget(out, byHand)));
        placer.start();
        assertThatThrownBy(() -> env.execute("a file placed at a target by hand"))
                .satisfies(failure -> {
                    Optional<PermanentCommitFailure> conflict =
                            ExceptionUtils.findThrowable(failure, PermanentCommitFailure.class);
                    assertThat(conflict).as("failed on the conflict: %s", failure).isPresent();
                    assertThat(conflict.get().getCause()).isInstanceOf(CommitConflictException.class);
                    assertThat(conflict.get()).hasMessageContaining(placed.get().getFileName().toString());
                });
        placer.join();

        assertThat(Files.readAllBytes(placed.get())).as("the file placed by hand").isEqualTo(byHand);
        List<java.nio.file.Path> pending = FinishedFiles.hidden(out).stream()
                .filter(file -> file.getFileName().toString().startsWith("." + placed.get().getFileName() + "."))
                .toList();
        assertThat(pending).as("the pending file that met the conflict is kept").hasSize(1);
        List<String> kept = Files.readAllLines(pending.get(0), StandardCharsets.UTF_8);
        assertThat(kept).as("records kept in the pending file").isNotEmpty()
                .allSatisfy(line -> assertThat(TestRecords.record(TestRecords.idOf(line))).isEqualTo(line));
    }

    /** Waits for the first in-progress part file and writes a file at the name it is to be committed under. */
    private static java.nio.file.Path placeAtFirstTarget(java.nio.file.Path out, byte[] content) {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            for (java.nio.file.Path hidden : FinishedFiles.hidden(out)) {
                String name = hidden.getFileName().toString();
                int marker = name.indexOf(".inprogress.");
                if (name.startsWith(".part-") && marker > 0) {
                    java.nio.file.Path target = hidden.resolveSibling(name.substring(1, marker));
                    try {
                        Files.write(target, content);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    return target;
                }
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("no in-progress part file appeared below " + out);
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
    }
}
