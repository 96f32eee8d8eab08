package dev.filesink.storage;

import javax.annotation.Nullable;

/**
 * The hidden name an in-progress file carries next to its final name: {@code .<final name>.inprogress.<unique>}, as
 * Flink's local and HDFS writers name them. Readers (Hive, Spark, Trino, Flink's own file source) skip names that
 * start with a dot, so a file under such a name is never read as part of the table. Object stores use the same rule
 * where they keep a file under a hidden name before its commit.
 */
public final class InProgressNames {

    private static final String MARKER = ".inprogress.";

    private InProgressNames() {}

    /** The hidden name for a file that will be committed as {@code finalName}. */
    public static String hiddenName(String finalName, String unique) {
        return "." + finalName + MARKER + unique;
    }

    /** The final name a hidden in-progress name was made for, or null if {@code name} is not one. */
    @Nullable
    public static String finalNameOf(String name) {
        if (!name.startsWith(".")) {
            return null;
        }
        int marker = name.lastIndexOf(MARKER);
        return marker > 1 ? name.substring(1, marker) : null;
    }
}
