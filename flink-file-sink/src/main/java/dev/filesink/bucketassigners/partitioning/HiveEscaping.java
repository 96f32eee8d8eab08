package dev.filesink.bucketassigners.partitioning;

/**
 * Makes a partition value safe as one directory name, the way Hive does ({@code FileUtils.escapePathName}): every
 * character that could end the name, start a URI scheme, act as a glob or be unprintable becomes {@code %XX} (two
 * upper-case hex digits). Hive, Spark, Trino and Flink's own filesystem connector decode these names back.
 *
 * <p>Escaped: control characters (C0, DEL and C1, including NUL, which Hive leaves alone but no file system accepts),
 * {@code " # % ' * / : = ? \ { [ ] ^}. Everything else, including non-ASCII letters and spaces, is kept as Hive keeps
 * it on Linux.
 */
public final class HiveEscaping {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();
    private static final boolean[] ESCAPED = new boolean[0xA0];

    static {
        for (char c = 0; c < 0x20; c++) {
            ESCAPED[c] = true;
        }
        for (char c = 0x7F; c < 0xA0; c++) {
            ESCAPED[c] = true;
        }
        for (char c : new char[] {'"', '#', '%', '\'', '*', '/', ':', '=', '?', '\\', '{', '[', ']', '^'}) {
            ESCAPED[c] = true;
        }
    }

    private HiveEscaping() {}

    /** Whether Hive escapes this character in a path name. */
    public static boolean needsEscape(char c) {
        return c < ESCAPED.length && ESCAPED[c];
    }

    /** The value with every reserved character replaced by {@code %XX}; the value itself if nothing needs it. */
    public static String escapePathName(String value) {
        int first = firstToEscape(value);
        if (first < 0) {
            return value;
        }
        StringBuilder out = new StringBuilder(value.length() + 16);
        out.append(value, 0, first);
        for (int i = first; i < value.length(); i++) {
            char c = value.charAt(i);
            if (needsEscape(c)) {
                appendEscaped(out, c);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Appends {@code %XX} for a character below U+0100. */
    static void appendEscaped(StringBuilder out, char c) {
        out.append('%').append(HEX[(c >> 4) & 0xF]).append(HEX[c & 0xF]);
    }

    /** Reverses {@link #escapePathName}: decodes every {@code %XX}; a {@code %} not followed by two hex digits stays. */
    public static String unescapePathName(String name) {
        int percent = name.indexOf('%');
        if (percent < 0) {
            return name;
        }
        StringBuilder out = new StringBuilder(name.length());
        out.append(name, 0, percent);
        for (int i = percent; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '%' && i + 2 < name.length() && isHex(name.charAt(i + 1)) && isHex(name.charAt(i + 2))) {
                out.append((char) Integer.parseInt(name.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static int firstToEscape(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (needsEscape(value.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
