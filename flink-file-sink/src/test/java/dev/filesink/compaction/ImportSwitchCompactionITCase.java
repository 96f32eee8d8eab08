package dev.filesink.compaction;

import dev.filesink.testing.FinishedFiles;
import dev.filesink.testing.Jobs;

import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import java.io.ByteArrayOutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A job written for Flink's {@code FileSink} with {@code enableCompact} (and one with {@code disableCompact})
 * compiles with Flink's import and with ours, nothing else changed; with ours it runs and compacts.
 */
class ImportSwitchCompactionITCase {

    private static final String FLINK_IMPORT = "import org.apache.flink.connector.file.sink.FileSink;";
    private static final String OUR_IMPORT = "import dev.filesink.FileSink;";

    /** As a user writes it against Flink's FileSink (Flink's File Sink documentation's compaction example). */
    private static final String JOB = """
            package job;

            %s
            import org.apache.flink.api.common.serialization.SimpleStringEncoder;
            import org.apache.flink.api.connector.sink2.Sink;
            import org.apache.flink.connector.file.sink.compactor.ConcatFileCompactor;
            import org.apache.flink.connector.file.sink.compactor.DecoderBasedReader;
            import org.apache.flink.connector.file.sink.compactor.FileCompactStrategy;
            import org.apache.flink.connector.file.sink.compactor.RecordWiseFileCompactor;
            import org.apache.flink.connector.file.sink.compactor.SimpleStringDecoder;
            import org.apache.flink.core.fs.Path;
            import org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.OnCheckpointRollingPolicy;

            public class CompactingJob {
                public static Sink<String> concat(String out) {
                    return FileSink.forRowFormat(new Path(out), new SimpleStringEncoder<String>())
                            .withRollingPolicy(OnCheckpointRollingPolicy.build())
                            .enableCompact(
                                    FileCompactStrategy.Builder.newBuilder()
                                            .setSizeThreshold(64 * 1024)
                                            .enableCompactionOnCheckpoint(5)
                                            .build(),
                                    new ConcatFileCompactor())
                            .build();
                }

                public static Sink<String> recordWise(String out) {
                    return FileSink.forRowFormat(new Path(out), new SimpleStringEncoder<String>())
                            .enableCompact(
                                    FileCompactStrategy.Builder.newBuilder().enableCompactionOnCheckpoint(5).build(),
                                    new RecordWiseFileCompactor<>(
                                            new DecoderBasedReader.Factory<>(SimpleStringDecoder::new)))
                            .build();
                }

                public static Sink<String> disabled(String out) {
                    return FileSink.forRowFormat(new Path(out), new SimpleStringEncoder<String>())
                            .disableCompact()
                            .build();
                }
            }
            """;

    @TempDir java.nio.file.Path work;

    @Test
    void compilesWithEitherImportAndRunsWithOurs() throws Exception {
        assertThat(compile(FLINK_IMPORT, work.resolve("flink"))).as("compiler output, Flink's import").isEmpty();
        assertThat(compile(OUR_IMPORT, work.resolve("ours"))).as("compiler output, our import").isEmpty();

        try (URLClassLoader loader = new URLClassLoader(
                new URL[] {work.resolve("ours").toUri().toURL()}, getClass().getClassLoader())) {
            Class<?> job = loader.loadClass("job.CompactingJob");
            java.nio.file.Path out = work.resolve("out");
            @SuppressWarnings("unchecked")
            Sink<String> sink = (Sink<String>) job.getMethod("concat", String.class).invoke(null, out.toUri().toString());
            assertThat(sink).isInstanceOf(dev.filesink.FileSink.class);

            long count = 6_000;
            StreamExecutionEnvironment env = Jobs.streaming(2, 100);
            Jobs.records(env, count, 3_000).sinkTo(sink);
            env.execute("job written for Flink's FileSink with enableCompact");

            FinishedFiles.assertExactlyOnce(out, count);
            assertThat(FinishedFiles.visible(out))
                    .anySatisfy(file -> assertThat(file.getFileName().toString()).startsWith("compacted-part-"));
        }
    }

    private static String compile(String sinkImport, java.nio.file.Path dir) throws Exception {
        java.nio.file.Path source = dir.resolve("src/job/CompactingJob.java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, JOB.formatted(sinkImport));
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int result = compiler.run(null, null, errors, List.of(
                "-classpath", System.getProperty("java.class.path"),
                "-d", dir.toString(), source.toString()).toArray(String[]::new));
        String output = errors.toString(StandardCharsets.UTF_8);
        return result == 0 ? output : "exit " + result + ": " + output;
    }
}
