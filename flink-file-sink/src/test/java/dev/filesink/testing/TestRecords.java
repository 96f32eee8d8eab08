package dev.filesink.testing;

/** Records of about 100 bytes whose id can be read back from the written line. */
public final class TestRecords {

    private static final String PADDING = "x".repeat(80);

    private TestRecords() {}

    public static String record(long id) {
        return String.format("record-%010d-%s", id, PADDING);
    }

    public static long idOf(String line) {
        if (!line.startsWith("record-") || line.length() < 17) {
            throw new IllegalArgumentException("Not a test record: '" + line + "'");
        }
        return Long.parseLong(line.substring(7, 17));
    }
}
