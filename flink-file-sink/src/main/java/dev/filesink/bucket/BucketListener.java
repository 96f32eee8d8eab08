package dev.filesink.bucket;

import dev.filesink.partfile.InProgressPartFile;
import dev.filesink.partfile.RollReason;

/** Hears what buckets do with their part files (metrics, cleanup bookkeeping). */
public interface BucketListener {

    void partFileOpened(InProgressPartFile<?> file);

    void partFileRolled(InProgressPartFile<?> file, RollReason reason);

    BucketListener NO_OP = new BucketListener() {
        @Override
        public void partFileOpened(InProgressPartFile<?> file) {}

        @Override
        public void partFileRolled(InProgressPartFile<?> file, RollReason reason) {}
    };
}
