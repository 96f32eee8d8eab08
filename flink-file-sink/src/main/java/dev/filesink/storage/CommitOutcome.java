package dev.filesink.storage;

/** What a commit of a pending part file found. */
public enum CommitOutcome {
    /** The file was made visible by this call. */
    COMMITTED,
    /** The very same file had been made visible before (a commit replayed after a restore). */
    ALREADY_COMMITTED
}
