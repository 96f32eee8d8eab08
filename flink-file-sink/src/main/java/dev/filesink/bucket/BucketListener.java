package dev.filesink.bucket;

import dev.filesink.partfile.InProgressPartFile;
import dev.filesink.partfile.RollReason;

/** Hears what buckets do with their part files (metrics, cleanup bookkeeping). */
public interface BucketListener {

    void partFileOpened(InProgressPartFile<?> file);

    /**
     * A part file was closed for commit: rolled by its bucket, or (reason {@link RollReason#MERGE}) taken over from
     * a restored state as it was.
     *
     * @param size the file's length in bytes
     */
    void partFileRolled(long size, RollReason reason);

    BucketListener NO_OP = new BucketListener() {
        @Override
        public void partFileOpened(InProgressPartFile<?> file) {}

        @Override
        public void partFileRolled(long size, RollReason reason) {}
    };
}
