package dev.filesink.bucketassigners.partitioning;

import org.apache.flink.streaming.api.functions.sink.filesystem.BucketAssigner;

import java.io.Serializable;

/** One level of the partition path: a key and how a record's directory name at that level is found. */
abstract class PartitionField<IN> implements Serializable {

    private static final long serialVersionUID = 1L;

    protected final String key;

    PartitionField(String key) {
        this.key = key;
    }

    String key() {
        return key;
    }

    /** The record's directory name at this level. */
    abstract String segment(IN record, BucketAssigner.Context context, SegmentEncoder encoder);
}
