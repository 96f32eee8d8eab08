package dev.filesink.bucketassigners.partitioning;

import java.io.Serializable;

/**
 * Turns one partition value into one directory name: the default name for no value, Hive escaping, the
 * {@code key=} prefix, and the length limit. Everything that reaches a path goes through here.
 */
final class SegmentEncoder implements Serializable {

    private static final long serialVersionUID = 1L;

    private final PathStyle style;
    private final String defaultPartitionName;
    private final int maxSegmentBytes;

    SegmentEncoder(PathStyle style, String defaultPartitionName, int maxSegmentBytes) {
        this.style = style;
        this.defaultPartitionName = defaultPartitionName;
        this.maxSegmentBytes = maxSegmentBytes;
    }

    /** The directory name for the value's text; {@code null} text means no value. */
    String encode(String key, String text) {
        String value = text == null ? defaultPartitionName : escape(key, text);
        String segment = style == PathStyle.HIVE ? key + '=' + value : value;
        int bytes = utf8Length(segment);
        if (bytes > maxSegmentBytes) {
            String what = text == null ? "the default partition name" : "the value (" + text.length() + " chars)";
            throw new InvalidPartitionValueException(key, what + " makes the directory name '" + preview(segment)
                    + "' " + bytes + " bytes long (UTF-8, escaped), over the "
                    + "limit of " + maxSegmentBytes + " bytes (withMaxSegmentBytes); shorten or hash such values "
                    + "before the sink");
        }
        return segment;
    }

    /** The value read back from a directory name this encoder made; {@code null} for the default partition. */
    String decode(String key, String segment) {
        String value = segment;
        if (style == PathStyle.HIVE) {
            String prefix = key + '=';
            if (!segment.startsWith(prefix)) {
                throw new IllegalArgumentException("Directory '" + segment + "' is not a partition of '" + key + "'");
            }
            value = segment.substring(prefix.length());
        }
        return value.equals(defaultPartitionName) ? null : HiveEscaping.unescapePathName(value);
    }

    private String escape(String key, String text) {
        int broken = loneSurrogate(text);
        if (broken >= 0) {
            // No file system name can hold half a character; Java would write '?' or refuse the path.
            throw new InvalidPartitionValueException(key, "the value is not valid Unicode: a lone surrogate "
                    + String.format("U+%04X", (int) text.charAt(broken)) + " at index " + broken);
        }
        String escaped = HiveEscaping.escapePathName(text);
        if (style == PathStyle.VALUES_ONLY && (escaped.charAt(0) == '.' || escaped.charAt(0) == '_')) {
            // A bare '.', '..' would leave the bucket's place in the tree; a leading '.' or '_' hides the
            // directory from Hadoop, Hive and Spark readers. With key= in front neither can happen.
            StringBuilder out = new StringBuilder(escaped.length() + 2);
            HiveEscaping.appendEscaped(out, escaped.charAt(0));
            return out.append(escaped, 1, escaped.length()).toString();
        }
        return escaped;
    }

    private static int loneSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    static int utf8Length(String s) {
        int bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    private static String preview(String segment) {
        return segment.length() <= 40 ? segment : segment.substring(0, 40) + "...";
    }
}
