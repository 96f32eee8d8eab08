package dev.filesink.committer;

import java.io.IOException;

/**
 * Collects the permanent failures of one commit round; the first is thrown, a few more ride along suppressed (a
 * round may hold thousands of files, all failing for the same reason).
 */
final class PermanentFailures {

    private static final int MAX_SUPPRESSED = 9;

    private IOException first;
    private int count;

    void record(IOException failure) {
        if (failure == null) {
            return;
        }
        count++;
        if (first == null) {
            first = failure;
        } else if (count <= MAX_SUPPRESSED + 1) {
            first.addSuppressed(failure);
        }
    }

    void throwIfAny() throws IOException {
        if (first == null) {
            return;
        }
        if (count > 1) {
            first.addSuppressed(new IOException(count + " part files of this commit round failed permanently in all"));
        }
        throw first;
    }
}
