package dev.filesink.formats.records;

import java.io.Serializable;

/**
 * What every format shares, row or bulk: how it treats a record it cannot write. By default it fails the job naming
 * the record; {@link #skipBadRecords()} skips, counts and logs such records instead.
 *
 * @param <SELF> the concrete format, returned by the {@code with...} methods
 */
public abstract class FileFormat<SELF extends FileFormat<SELF>> implements Serializable {

    private static final long serialVersionUID = 1L;

    private BadRecords badRecords = BadRecords.fail();

    @SuppressWarnings("unchecked")
    protected final SELF self() {
        return (SELF) this;
    }

    /** Skips records the format cannot write, counting and logging them (at most 10 per minute and subtask). */
    public SELF skipBadRecords() {
        return skipBadRecords(10);
    }

    public SELF skipBadRecords(int maxLoggedPerMinute) {
        this.badRecords = BadRecords.skip(maxLoggedPerMinute);
        return self();
    }

    /** Fails the job on a record the format cannot write, naming it (the default). */
    public SELF failOnBadRecords() {
        this.badRecords = BadRecords.fail();
        return self();
    }

    /** How this format treats records it cannot write. */
    public final BadRecords badRecords() {
        return badRecords;
    }

    /** The part file suffix ({@code ".jsonl.gz"}, {@code ".parquet"}). */
    public abstract String suffix();
}
