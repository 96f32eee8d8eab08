package dev.filesink.partfile;

import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;

import java.io.Serializable;
import java.util.OptionalLong;

/** Names finished part files {@code <prefix>-<uid>-<counter><suffix>}, and reads such names back. */
public final class PartFileNaming implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String prefix;
    private final String suffix;

    public PartFileNaming(OutputFileConfig config) {
        this.prefix = config.getPartPrefix();
        this.suffix = config.getPartSuffix();
    }

    public String name(String uid, long counter) {
        return prefix + '-' + uid + '-' + counter + suffix;
    }

    /** The counter of a part file written under {@code uid}, or empty if the name is not one of that writer's. */
    public OptionalLong counterOf(String fileName, String uid) {
        String start = prefix + '-' + uid + '-';
        if (!fileName.startsWith(start) || !fileName.endsWith(suffix)) {
            return OptionalLong.empty();
        }
        String digits = fileName.substring(start.length(), fileName.length() - suffix.length());
        if (digits.isEmpty() || digits.length() > 18 || !digits.chars().allMatch(Character::isDigit)) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Long.parseLong(digits));
    }
}
