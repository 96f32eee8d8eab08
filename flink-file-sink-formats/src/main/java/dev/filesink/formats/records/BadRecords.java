package dev.filesink.formats.records;

import dev.filesink.partfile.PartFileContext;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Serializable;

/**
 * What a format does with a record it cannot encode: fail the job (the default; the error names the field, and the
 * sink adds the bucket and part file), or skip the record, count it in the writer's {@code recordsSkipped} metric
 * (which the sink hands over in the {@link PartFileContext}) and log it at a bounded rate.
 *
 * <p>One instance lives in each writer subtask (it is deserialized with the sink), so the count and the log budget
 * are per subtask.
 */
public final class BadRecords implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(BadRecords.class);
    private static final long LOG_WINDOW_MS = 60_000;
    private static final int MAX_RECORD_TEXT = 200;

    private final boolean skip;
    private final int maxLoggedPerMinute;

    private transient long skipped;
    private transient long windowStart;
    private transient int loggedInWindow;
    private transient long suppressedInWindow;

    private BadRecords(boolean skip, int maxLoggedPerMinute) {
        this.skip = skip;
        this.maxLoggedPerMinute = maxLoggedPerMinute;
    }

    /** Bad records fail the job. */
    public static BadRecords fail() {
        return new BadRecords(false, 0);
    }

    /** Bad records are skipped, counted and logged, at most {@code maxLoggedPerMinute} per minute and subtask. */
    public static BadRecords skip(int maxLoggedPerMinute) {
        if (maxLoggedPerMinute < 0) {
            throw new IllegalArgumentException("maxLoggedPerMinute must not be negative, got " + maxLoggedPerMinute);
        }
        return new BadRecords(true, maxLoggedPerMinute);
    }

    public boolean skips() {
        return skip;
    }

    /** Records skipped by this subtask so far. */
    public long skipped() {
        return skipped;
    }

    /** Fails (rethrows) or skips the record, by the configured choice. */
    public void handle(BadRecordException error, Object record, PartFileContext where) {
        if (!skip) {
            throw error;
        }
        skipped++;
        where.recordsSkipped().inc();
        log(error, record, where);
    }

    private void log(BadRecordException error, Object record, PartFileContext where) {
        long now = System.currentTimeMillis();
        if (now - windowStart >= LOG_WINDOW_MS) {
            if (suppressedInWindow > 0) {
                LOG.warn("{} more bad records were skipped without being logged in the last minute", suppressedInWindow);
            }
            windowStart = now;
            loggedInWindow = 0;
            suppressedInWindow = 0;
        }
        if (loggedInWindow < maxLoggedPerMinute) {
            loggedInWindow++;
            LOG.warn("Skipped a bad record in {}: {} (skipped so far: {}). Record: {}",
                    where.describe(), error.getMessage(), skipped, abbreviate(record));
        } else {
            suppressedInWindow++;
        }
    }

    private static String abbreviate(Object record) {
        String text;
        try {
            text = String.valueOf(record);
        } catch (RuntimeException e) {
            text = "<toString failed: " + e + ">";
        }
        return text.length() <= MAX_RECORD_TEXT ? text : text.substring(0, MAX_RECORD_TEXT) + "...";
    }

    @Override
    public String toString() {
        return skip ? "skip bad records (log at most " + maxLoggedPerMinute + "/min)" : "fail on bad records";
    }
}
