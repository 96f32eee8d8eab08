package dev.filesink.formats.bulk;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A job without Flink's table types or Hadoop on its class path: creating a Parquet or ORC format fails right there,
 * naming the artifacts to add; Avro needs neither. Runs the formats module in a class loader that lacks the jars.
 */
class JobClassPathTest {

    @Test
    void parquetWithoutTableTypesNamesTheArtifact() throws Exception {
        Throwable failure = createFormat(without("flink-table-common"), "parquet");
        assertThat(failure).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Parquet needs on the job's class path")
                .hasMessageContaining("org.apache.flink:flink-table-common:2.3.0 (scope provided)")
                .hasMessageNotContaining("hadoop-client-api");
    }

    @Test
    void orcWithoutTableTypesAndHadoopNamesBothArtifacts() throws Exception {
        Throwable failure = createFormat(without("flink-table-common", "hadoop-client-api", "hadoop-client-runtime"), "orc");
        assertThat(failure).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("ORC needs on the job's class path")
                .hasMessageContaining("flink-table-common")
                .hasMessageContaining("org.apache.hadoop:hadoop-client-api and org.apache.hadoop:hadoop-client-runtime");
    }

    @Test
    void parquetWithoutHadoopNamesTheHadoopClient() throws Exception {
        Throwable failure = createFormat(without("hadoop-client-api", "hadoop-client-runtime"), "parquet");
        assertThat(failure).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("hadoop-client-api").hasMessageNotContaining("flink-table-common");
    }

    @Test
    void avroNeedsNeither() throws Exception {
        assertThat(createFormat(without("flink-table-common", "hadoop-client-api", "hadoop-client-runtime"), "avro"))
                .isNull();
    }

    @Test
    void withEverythingThereParquetAndOrcAreCreated() throws Exception {
        assertThat(createFormat(without(), "parquet")).isNull();
        assertThat(createFormat(without(), "orc")).isNull();
    }

    public static class Pojo {
        public long id;
    }

    public static class IdVectorizer extends org.apache.flink.orc.vector.Vectorizer<Pojo> {
        public IdVectorizer() {
            super("struct<id:bigint>");
        }

        @Override
        public void vectorize(Pojo element, org.apache.hadoop.hive.ql.exec.vector.VectorizedRowBatch batch) {
            ((org.apache.hadoop.hive.ql.exec.vector.LongColumnVector) batch.cols[0]).vector[batch.size++] = element.id;
        }
    }

    /** Asks for a format in a class loader of the given class path; returns what it threw, or null. */
    @SuppressWarnings("unchecked")
    private static Throwable createFormat(List<URL> classPath, String format) throws Exception {
        try (URLClassLoader loader = new URLClassLoader(classPath.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
            Function<String, Object> caller = (Function<String, Object>)
                    Class.forName(FormatsCaller.class.getName(), true, loader).getConstructor().newInstance();
            try {
                caller.apply(format);
                return null;
            } catch (RuntimeException | LinkageError e) {
                return e;
            }
        }
    }

    private static List<URL> without(String... artifacts) throws Exception {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<URL> urls = new ArrayList<>();
        entries:
        for (String entry : classPath.split(File.pathSeparator)) {
            for (String artifact : artifacts) {
                if (Path.of(entry).getFileName().toString().startsWith(artifact + "-")) {
                    continue entries;
                }
            }
            urls.add(Path.of(entry).toUri().toURL());
        }
        return urls;
    }
}
