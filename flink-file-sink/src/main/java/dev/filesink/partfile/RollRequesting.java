package dev.filesink.partfile;

import javax.annotation.Nullable;

/**
 * Implemented by a part file's format writer (a bulk writer, a row format's record writer) or its storage stream
 * (the {@code RecoverableFsDataOutputStream}) when it may need the part file rolled before the next record,
 * whatever the rolling policy says: a record of a new schema that the open file cannot hold, a blob close to its
 * block limit. The bucket asks before every record it writes to the file.
 *
 * @param <IN> the records; a storage stream, which does not look at them, implements {@code RollRequesting<Object>}
 */
public interface RollRequesting<IN> {

    /**
     * Why the part file must be rolled before {@code next} is written to it, or null to keep writing to it. Called
     * for every record, so it must be cheap. The reason is counted in the metrics ({@link RollReason#FORMAT} for
     * formats, {@link RollReason#STORAGE} for storage streams).
     */
    @Nullable
    RollReason rollBefore(IN next);
}
