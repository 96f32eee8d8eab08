package dev.filesink.partfile;

import org.apache.flink.streaming.api.functions.sink.filesystem.PartFileInfo;

/** {@link PartFileInfo} plus what Flink's interface lacks and our rolling policies use. */
public interface PartFileStatistics<BucketID> extends PartFileInfo<BucketID> {

    /** Records written to the part file so far. */
    long getRecordCount();
}
