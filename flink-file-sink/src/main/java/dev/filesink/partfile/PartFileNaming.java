package dev.filesink.partfile;

import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;

import java.io.Serializable;
import java.util.Optional;
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

    /**
     * The writer uid and counter of any name of the form {@code <prefix>-<uid>-<counter><suffix>} (Flink's FileSink
     * names its part files the same way, with a random uid per bucket), or empty.
     */
    public Optional<ParsedName> parse(String fileName) {
        String start = prefix + '-';
        if (!fileName.startsWith(start) || !fileName.endsWith(suffix)) {
            return Optional.empty();
        }
        String middle = fileName.substring(start.length(), fileName.length() - suffix.length());
        int dash = middle.lastIndexOf('-');
        if (dash <= 0) {
            return Optional.empty();
        }
        String uid = middle.substring(0, dash);
        OptionalLong counter = counterOf(fileName, uid);
        return counter.isPresent() ? Optional.of(new ParsedName(uid, counter.getAsLong())) : Optional.empty();
    }

    /** A part file name read back: the writer's uid and the file's counter. */
    public record ParsedName(String uid, long counter) {}

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
