package dev.filesink.formats.records;

import org.apache.flink.core.fs.Path;

/** Which bucket and part file a format is writing, for messages about bad records. */
public record PartFileContext(String bucketId, Path partFile) {

    /** For formats used outside our sink builders, where the sink does not tell the format. */
    public static final PartFileContext UNKNOWN = new PartFileContext(null, null);

    public String describe() {
        return bucketId == null ? "an unknown part file" : "part file '" + partFile + "' of bucket '" + bucketId + "'";
    }
}
