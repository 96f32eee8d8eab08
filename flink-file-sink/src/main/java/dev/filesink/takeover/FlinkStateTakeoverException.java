package dev.filesink.takeover;

import java.io.IOException;

/**
 * Flink's {@code FileSink} state that this sink cannot take over. The message names the bucket and the file, and
 * says how to switch anyway.
 */
public final class FlinkStateTakeoverException extends IOException {

    private static final long serialVersionUID = 1L;

    static final String WHAT_TO_DO = " To switch anyway, restore the job with Flink's FileSink, stop it with a drained"
            + " savepoint ('flink stop --drain --savepointPath ...': every file gets committed), then start this sink"
            + " under a new uid from that savepoint (with --allowNonRestoredState). See"
            + " docs/switching-from-flink-filesink.md.";

    FlinkStateTakeoverException(String problem) {
        super(problem + WHAT_TO_DO);
    }

    FlinkStateTakeoverException(String problem, Throwable cause) {
        super(problem + WHAT_TO_DO, cause);
    }
}
