package dev.filesink.formats.bulk;

import java.util.ArrayList;
import java.util.List;

/**
 * What a bulk format needs on the job's class path beyond its own dependencies: libraries that a Flink cluster
 * provides and a job declares as {@code provided}. Checked while the sink is built, so a missing one fails there
 * with the artifact to add, not with a {@code ClassNotFoundException} when the job graph is serialized.
 */
public final class JobClassPath {

    /** Flink's table types ({@code RowType}, {@code RowData}), in a Flink distribution's {@code lib/}. */
    public static final Requirement FLINK_TABLE_TYPES = new Requirement(
            "org.apache.flink.table.types.logical.RowType",
            "org.apache.flink:flink-table-common:2.3.0 (scope provided)",
            "a Flink distribution's lib/ has it");

    /** Hadoop's client classes ({@code Configuration}), which Parquet and ORC are built on. */
    public static final Requirement HADOOP_CLIENT = new Requirement(
            "org.apache.hadoop.conf.Configuration",
            "org.apache.hadoop:hadoop-client-api and org.apache.hadoop:hadoop-client-runtime (scope provided)",
            "a cluster gets them through HADOOP_CLASSPATH or the jars in lib/");

    private JobClassPath() {}

    /** Fails naming every missing artifact. */
    public static void require(String format, Requirement... requirements) {
        List<String> missing = new ArrayList<>();
        for (Requirement requirement : requirements) {
            if (!requirement.isPresent()) {
                missing.add(requirement.artifact() + " (for " + requirement.className() + "; "
                        + requirement.onCluster() + ")");
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException(format + " needs on the job's class path: " + String.join(", ", missing)
                    + ". Add it to the job's pom; see docs/formats.md, \"What a job needs on its class path\".");
        }
    }

    /** A class a format needs and the artifact that brings it. */
    public record Requirement(String className, String artifact, String onCluster) {

        boolean isPresent() {
            try {
                Class.forName(className, false, JobClassPath.class.getClassLoader());
                return true;
            } catch (ClassNotFoundException | LinkageError e) {
                return false;
            }
        }
    }
}
