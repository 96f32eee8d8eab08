package dev.filesink.s3.writer;

import dev.filesink.s3.S3Location;

import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where staging objects (persisted tails) live: below a prefix of their own, by default
 * {@code <base>/_filesink-staging/}, mirroring the part file's path below the base and named
 * {@code <final name>.<token>.<persist number>.tail}. Never below the final object's key as if it were a folder:
 * file-system-backed S3-compatible stores cannot hold an object at {@code k} and another at {@code k/...}.
 */
public final class StagingLayout {

    public static final String DEFAULT_FOLDER = "_filesink-staging";

    private static final Pattern STAGED_TAIL = Pattern.compile("(.+)\\.([0-9a-f]{32})\\.(\\d+)\\.tail");

    private final S3Location base;
    private final String prefix;

    /**
     * @param base the sink's base location
     * @param configuredPrefix the configured staging prefix, or null for the default
     */
    public StagingLayout(S3Location base, String configuredPrefix) {
        this.base = base;
        String prefix = configuredPrefix != null ? configuredPrefix : base.folderPrefix() + DEFAULT_FOLDER;
        this.prefix = prefix.endsWith("/") ? prefix : prefix + '/';
    }

    /** The key prefix of all staging objects. */
    public String prefix() {
        return prefix;
    }

    public String tailKey(String finalKey, String token, long persistNumber) {
        return tailPrefix(finalKey, token) + persistNumber + ".tail";
    }

    /** The common prefix of all staged tails of one part file. */
    public String tailPrefix(String finalKey, String token) {
        return prefix + relative(finalKey) + '.' + token + '.';
    }

    /** A key for the write check at job start. */
    public String probeKey() {
        return prefix + ".write-check-" + UUID.randomUUID();
    }

    /**
     * The final file name a staging object belongs to (for a file written under a hidden name, the name it is
     * committed as), or null if the key is not a staged tail's.
     */
    public static String finalNameOf(String stagingKey) {
        int slash = stagingKey.lastIndexOf('/');
        Matcher matcher = STAGED_TAIL.matcher(stagingKey.substring(slash + 1));
        return matcher.matches() ? HiddenKeys.visibleName(matcher.group(1)) : null;
    }

    /**
     * The staged tail at {@code stagingKey}, read back from its name: the final key it belongs to (below this layout's
     * base; for a file written under a hidden name, the key it is committed to) and the part file's token; null if
     * the key is not a staged tail below this layout's prefix.
     */
    public StagedTail parse(String stagingKey) {
        if (!stagingKey.startsWith(prefix)) {
            return null;
        }
        Matcher matcher = STAGED_TAIL.matcher(stagingKey.substring(prefix.length()));
        if (!matcher.matches()) {
            return null;
        }
        String writtenAt = base.folderPrefix() + matcher.group(1);
        String finalKey = HiddenKeys.finalKeyOf(writtenAt);
        return new StagedTail(stagingKey, finalKey != null ? finalKey : writtenAt, matcher.group(2));
    }

    /** A staged tail as its key names it; {@code finalKey} is where its part file becomes visible. */
    public record StagedTail(String key, String finalKey, String token) {

        public String finalName() {
            return finalKey.substring(finalKey.lastIndexOf('/') + 1);
        }
    }

    private String relative(String finalKey) {
        String folder = base.folderPrefix();
        return finalKey.startsWith(folder) ? finalKey.substring(folder.length()) : finalKey;
    }

    /** A new random token for a part file: 32 hex digits. */
    public static String newToken() {
        return UUID.randomUUID().toString().replace("-", "");
    }
}
