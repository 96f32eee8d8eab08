package dev.filesink.compaction;

import org.apache.flink.core.fs.Path;

import javax.annotation.Nullable;

/** Compacted files are named as Flink names them: {@code compacted-<name of the group's first input>}. */
public final class CompactedNames {

    public static final String PREFIX = "compacted-";

    private CompactedNames() {}

    /** The name of the file that a group starting with this input is compacted into. */
    public static String of(Path firstInput) {
        return PREFIX + firstInput.getName();
    }

    /** The name of the first input a compacted file is named after, or null if the name is no compacted file's. */
    @Nullable
    public static String firstInputOf(String fileName) {
        return fileName.startsWith(PREFIX) ? fileName.substring(PREFIX.length()) : null;
    }
}
