package dev.filesink.compaction;

import org.apache.flink.connector.file.sink.compactor.FileCompactStrategy;
import org.apache.flink.connector.file.sink.compactor.FileCompactor;
import org.apache.flink.connector.file.sink.compactor.OutputStreamBasedFileCompactor;
import org.apache.flink.connector.file.sink.compactor.RecordWiseFileCompactor;

import javax.annotation.Nullable;

import java.io.Serializable;

/**
 * What {@code enableCompact} or {@code disableCompact} configured: Flink's strategy and compactor, or compaction
 * switched off explicitly (the operator stays, to hand on what a restored state still holds).
 */
public final class CompactionSettings implements Serializable {

    private static final long serialVersionUID = 1L;

    @Nullable private final FileCompactStrategy strategy;
    @Nullable private final FileCompactor compactor;

    private CompactionSettings(@Nullable FileCompactStrategy strategy, @Nullable FileCompactor compactor) {
        this.strategy = strategy;
        this.compactor = compactor;
    }

    public static CompactionSettings enabled(FileCompactStrategy strategy, FileCompactor compactor) {
        if (strategy == null) {
            throw new IllegalArgumentException("enableCompact: the FileCompactStrategy must not be null");
        }
        if (compactor == null) {
            throw new IllegalArgumentException("enableCompact: the FileCompactor must not be null");
        }
        if (!(compactor instanceof OutputStreamBasedFileCompactor) && !(compactor instanceof RecordWiseFileCompactor)) {
            throw new IllegalArgumentException("enableCompact: a FileCompactor must extend OutputStreamBasedFileCompactor "
                    + "or RecordWiseFileCompactor (as with Flink's FileSink), got " + compactor.getClass().getName());
        }
        return new CompactionSettings(strategy, compactor);
    }

    public static CompactionSettings disabled() {
        return new CompactionSettings(null, null);
    }

    public boolean isEnabled() {
        return strategy != null;
    }

    /** Compact a bucket when its waiting files reach this many bytes; negative: no size trigger. */
    public long sizeThreshold() {
        return strategy == null ? -1 : strategy.getSizeThreshold();
    }

    /** Compact every waiting file every this many checkpoints; 0 or negative: no checkpoint trigger. */
    public int checkpointsBetweenCompactions() {
        return strategy == null ? -1 : strategy.getNumCheckpointsBeforeCompaction();
    }

    /** Compactions run at once per operator subtask (Flink's default: 1). */
    public int threads() {
        return strategy == null || strategy.getNumCompactThreads() <= 0 ? 1 : strategy.getNumCompactThreads();
    }

    @Nullable
    public FileCompactor compactor() {
        return compactor;
    }
}
