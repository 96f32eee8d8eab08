package dev.filesink.partfile;

import javax.annotation.Nullable;

/**
 * The optional interfaces of one part file's format writer and storage stream ({@link RollRequesting},
 * {@link MemoryReporting}), looked up once when the file opens so that the per-record path does no type checks.
 */
final class PartFileHooks<IN> {

    private final RollRequesting<? super IN> formatRoll;
    private final RollRequesting<Object> storageRoll;
    private final MemoryReporting formatMemory;
    private final MemoryReporting storageMemory;

    @SuppressWarnings("unchecked")
    PartFileHooks(Object formatWriter, Object storageStream) {
        this.formatRoll = formatWriter instanceof RollRequesting ? (RollRequesting<? super IN>) formatWriter : null;
        this.storageRoll = storageStream instanceof RollRequesting ? (RollRequesting<Object>) storageStream : null;
        this.formatMemory = formatWriter instanceof MemoryReporting reporting ? reporting : null;
        this.storageMemory = storageStream instanceof MemoryReporting reporting ? reporting : null;
    }

    /** The first reason the format or the storage gives to roll before {@code next}, or null. */
    @Nullable
    RollReason rollBefore(IN next) {
        RollReason reason = formatRoll == null ? null : formatRoll.rollBefore(next);
        if (reason == null && storageRoll != null) {
            reason = storageRoll.rollBefore(next);
        }
        return reason;
    }

    /** What the format and the storage stream report holding in memory. */
    long bufferedBytes() {
        long bytes = formatMemory == null ? 0 : formatMemory.bufferedBytes();
        return storageMemory == null ? bytes : bytes + storageMemory.bufferedBytes();
    }
}
