package dev.filesink.bucket;

import javax.annotation.Nullable;

/**
 * The earliest and latest record timestamps of one part file. Unknown ({@code Long.MIN_VALUE}) when a record had
 * none, or when the file was resumed from a state that did not keep them.
 */
final class EventTimeRange {

    static final long UNKNOWN = Long.MIN_VALUE;

    private long min = Long.MAX_VALUE;
    private long max = Long.MIN_VALUE;
    private boolean unknown;

    void reset() {
        min = Long.MAX_VALUE;
        max = Long.MIN_VALUE;
        unknown = false;
    }

    void resetUnknown() {
        reset();
        unknown = true;
    }

    void add(@Nullable Long timestamp) {
        if (timestamp == null) {
            unknown = true;
            return;
        }
        min = Math.min(min, timestamp);
        max = Math.max(max, timestamp);
    }

    long min() {
        return unknown || min == Long.MAX_VALUE ? UNKNOWN : min;
    }

    long max() {
        return unknown || min == Long.MAX_VALUE ? UNKNOWN : max;
    }
}
