package dev.filesink.formats.snippets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The Java snippets of Flink's File Sink page (the shared reference, {@code ../shared/reference/} beside the
 * repository) that use {@code FileSink}, compiled as printed with Flink's import and with ours: each must compile
 * with our sink exactly when it compiles with Flink's 2.3 sink, with the same errors where both fail.
 *
 * <p>The page's placeholders ({@code x = ...}, a line of {@code ...}) become {@code null} and nothing; the variables
 * and user types it leaves out come from {@link FileSinkPageContext}; the imports it assumes are added to every
 * snippet alike. Nothing else is changed. The page shows no {@code enableCompact} / {@code disableCompact}, so no
 * snippet is left out for compaction.
 *
 * <p>Of the page's eight such snippets five compile (row format with a rolling policy, Parquet from protobuf, Avro,
 * ORC, SequenceFile). Three fail with Flink 2.3's own sink too, and must fail identically with ours: the page
 * predates Flink 2 in places ({@code ParquetAvroWriters}, now {@code AvroParquetWriters}), its custom Avro writer
 * snippet sinks a {@code FileSink<?>} into a {@code DataStream<Address>}, and its output file config snippet has
 * an extra parenthesis.
 */
class FileSinkPageSnippetsTest {

    private static final String FLINK_IMPORT = "import org.apache.flink.connector.file.sink.FileSink;";
    private static final String OUR_IMPORT = "import dev.filesink.FileSink;";
    private static final Pattern JAVA_BLOCK =
            Pattern.compile("\\{% highlight java %}\\n(.*?)\\{% endhighlight %}", Pattern.DOTALL);

    /** Imports the page's snippets take for granted; the same for both sinks. */
    private static final List<String> ASSUMED_IMPORTS = List.of(
            "org.apache.flink.streaming.api.datastream.DataStream",
            "org.apache.flink.api.java.tuple.Tuple2",
            "org.apache.flink.core.fs.Path",
            "org.apache.flink.api.common.serialization.SimpleStringEncoder",
            "org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig",
            "org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.OnCheckpointRollingPolicy",
            "org.apache.flink.formats.avro.AvroBuilder",
            "org.apache.flink.formats.avro.AvroWriterFactory",
            "org.apache.flink.formats.sequencefile.SequenceFileWriterFactory",
            "org.apache.flink.orc.vector.Vectorizer",
            "org.apache.flink.runtime.util.HadoopUtils",
            "org.apache.avro.Schema",
            "org.apache.avro.generic.GenericRecord",
            "org.apache.avro.reflect.ReflectData",
            "org.apache.avro.reflect.ReflectDatumWriter",
            "org.apache.avro.io.DatumWriter",
            "org.apache.avro.file.DataFileWriter",
            "org.apache.avro.file.CodecFactory",
            "org.apache.hadoop.conf.Configuration",
            "java.util.Properties",
            "java.util.concurrent.TimeUnit");

    @TempDir
    Path dir;

    @Test
    void everyFileSinkSnippetCompilesWithOurSinkExactlyWhenItDoesWithFlinks() throws IOException {
        List<String> snippets = fileSinkSnippets(Files.readString(page()));
        assertThat(snippets).as("Java snippets that use FileSink on the page").hasSizeGreaterThanOrEqualTo(8);

        List<String> compiledWithOurs = new ArrayList<>();
        for (int i = 0; i < snippets.size(); i++) {
            String snippet = snippets.get(i);
            assertThat(snippet).as("snippet %s imports Flink's FileSink or none", i)
                    .satisfiesAnyOf(s -> assertThat(s).contains(FLINK_IMPORT), s -> assertThat(s).doesNotContain("import"));
            List<String> withFlink = compile("Snippet" + i, unit(i, snippet, false), dir.resolve("flink"));
            List<String> withOurs = compile("Snippet" + i, unit(i, snippet, true), dir.resolve("ours"));
            assertThat(withOurs).as("errors of snippet %s with our sink:%n%s", i, snippet).isEqualTo(withFlink);
            String firstUse = snippet.lines().filter(l -> l.contains("FileSink") && !l.contains("import"))
                    .findFirst().orElse("").trim();
            if (withOurs.isEmpty()) {
                compiledWithOurs.add(firstUse);
            }
            System.out.printf("snippet %d (%s): %s%n", i, firstUse,
                    withOurs.isEmpty() ? "compiles with both sinks" : "fails with both sinks: " + withOurs.get(0));
        }
        assertThat(compiledWithOurs).as("snippets that compile (with both sinks)").hasSizeGreaterThanOrEqualTo(5);
    }

    /** The Java snippets that name FileSink, in page order. */
    static List<String> fileSinkSnippets(String page) {
        List<String> snippets = new ArrayList<>();
        Matcher matcher = JAVA_BLOCK.matcher(page);
        while (matcher.find()) {
            if (matcher.group(1).contains("FileSink")) {
                snippets.add(matcher.group(1));
            }
        }
        return snippets;
    }

    /** A compilation unit: the snippet's imports (FileSink's switched for ours), then its code as a method body. */
    private static String unit(int index, String snippet, boolean ours) {
        StringBuilder imports = new StringBuilder("package snippets;\n");
        StringBuilder body = new StringBuilder();
        for (String line : snippet.split("\n", -1)) {
            String trimmed = line.trim();
            if (trimmed.startsWith("import ")) {
                imports.append(ours && trimmed.equals(FLINK_IMPORT) ? OUR_IMPORT : trimmed).append('\n');
                body.append('\n');
            } else if (trimmed.equals("...")) {
                body.append('\n');
            } else {
                body.append(line.replaceAll("=\\s*\\.\\.\\.\\s*;?\\s*$", "= null;")).append('\n');
            }
        }
        for (String assumed : ASSUMED_IMPORTS) {
            imports.append("import ").append(assumed).append(";\n");
        }
        if (!snippet.contains(FLINK_IMPORT)) {
            // The page assumes FileSink is imported here too.
            imports.append(ours ? OUR_IMPORT : FLINK_IMPORT).append('\n');
        }
        return imports + "@SuppressWarnings({\"rawtypes\", \"unchecked\", \"unused\"})\n"
                + "public class Snippet" + index + " extends " + FileSinkPageContext.class.getName() + " {\n"
                + "void snippet() throws Exception {\n" + body + "}\n}\n";
    }

    /** Compiles one unit; returns its errors as "line: message", with FileSink's package left out. */
    private static List<String> compile(String className, String source, Path root) throws IOException {
        Path file = root.resolve("src/snippets").resolve(className + ".java");
        Files.createDirectories(file.getParent());
        Files.writeString(file, source);
        Path classes = Files.createDirectories(root.resolve("classes"));
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
            compiler.getTask(null, files, diagnostics,
                    List.of("-proc:none", "-classpath", System.getProperty("java.class.path"), "-d", classes.toString()),
                    null, files.getJavaFileObjects(file)).call();
        }
        List<String> errors = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> diagnostic : diagnostics.getDiagnostics()) {
            if (diagnostic.getKind() == Diagnostic.Kind.ERROR) {
                errors.add(diagnostic.getLineNumber() + ": " + diagnostic.getMessage(Locale.ROOT)
                        .replace("org.apache.flink.connector.file.sink.FileSink", "FileSink")
                        .replace("dev.filesink.FileSink", "FileSink"));
            }
        }
        return errors;
    }

    /**
     * The page lives in the project's shared reference folder beside the repository, which CI always has. A clone
     * without it (a user's) skips this test; CI ({@code CI=true}) fails instead, so the test cannot silently vanish.
     */
    private static Path page() {
        Path page = Path.of(System.getProperty("filesink.reference.dir", "../../shared/reference"))
                .resolve("flink-file-sink-docs.md");
        if (!"true".equals(System.getenv("CI"))) {
            assumeTrue(Files.isRegularFile(page), "Flink's File Sink page is not beside this clone: " + page);
        }
        assertThat(page).as("Flink's File Sink page, the shared reference beside the repository").isRegularFile();
        return page;
    }
}
