package dev.filesink.formats.csv;

/** RFC 4180 quoting: a field with the delimiter, a quote or a line break is quoted, with quotes doubled. */
final class Rfc4180 {

    private Rfc4180() {}

    static void append(StringBuilder line, String field, char delimiter) {
        if (!needsQuotes(field, delimiter)) {
            line.append(field);
            return;
        }
        line.append('"');
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '"') {
                line.append('"');
            }
            line.append(c);
        }
        line.append('"');
    }

    static boolean needsQuotes(String field, char delimiter) {
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == delimiter || c == '"' || c == '\n' || c == '\r') {
                return true;
            }
        }
        return false;
    }
}
