package dev.filesink.it;

import dev.filesink.testing.FinishedFiles;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A job written for Flink's FileSink compiles and runs with ours after changing only the import of FileSink: the
 * same source text is compiled with each import, and the one with ours is run.
 */
class FlinkFileSinkCompatibilityITCase {

    private static final String FLINK_IMPORT = "import org.apache.flink.connector.file.sink.FileSink;";
    private static final String OUR_IMPORT = "import dev.filesink.FileSink;";

    @TempDir Path dir;

    @Test
    void aFlinkFileSinkJobRunsAfterChangingOnlyTheImport() throws Exception {
        String flinkSource;
        try (InputStream in = getClass().getResourceAsStream("/compat/FlinkStyleJob.java.txt")) {
            flinkSource = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(flinkSource).contains(FLINK_IMPORT);
        String ourSource = flinkSource.replace(FLINK_IMPORT, OUR_IMPORT);
        assertThat(ourSource.lines().filter(line -> !flinkSource.contains(line))).containsExactly(OUR_IMPORT);

        compile(flinkSource, dir.resolve("flink"));
        Path ours = compile(ourSource, dir.resolve("ours"));

        Path output = dir.resolve("output");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {ours.toUri().toURL()}, getClass().getClassLoader())) {
            Method run = loader.loadClass("compat.FlinkStyleJob").getMethod("run", String.class, int.class);
            run.invoke(null, output.toUri().toString(), 5_000);
        }

        List<String> lines = FinishedFiles.lines(output);
        assertThat(lines).hasSize(5_000).doesNotHaveDuplicates();
        assertThat(FinishedFiles.hidden(output)).isEmpty();
        assertThat(FinishedFiles.visible(output)).allSatisfy(file ->
                assertThat(file.getFileName().toString()).startsWith("prefix-").endsWith(".ext"));
    }

    private static Path compile(String source, Path outputDir) throws Exception {
        Path sourceDir = outputDir.resolveSibling(outputDir.getFileName() + "-src").resolve("compat");
        Files.createDirectories(sourceDir);
        Files.createDirectories(outputDir);
        Path file = sourceDir.resolve("FlinkStyleJob.java");
        Files.writeString(file, source);
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int result = compiler.run(null, null, errors, "-proc:none", "-classpath", System.getProperty("java.class.path"),
                "-d", outputDir.toString(), file.toString());
        assertThat(result).as("compiling %s: %s", file, errors.toString(StandardCharsets.UTF_8)).isZero();
        return outputDir;
    }
}
