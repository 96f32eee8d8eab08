package dev.filesink.partfile;

import org.apache.flink.core.fs.Path;
import org.apache.flink.metrics.Counter;

/**
 * What the sink tells a format about the part file it writes: which bucket and file (for messages about bad
 * records) and the writer's metrics a format reports to. Handed to {@link PartFileAwareEncoder} and
 * {@link PartFileAwareBulkWriterFactory} for every part file they open.
 *
 * @param bucketId the bucket's id, or null when the format is used by another sink that does not say
 * @param partFile where the part file becomes visible when committed, or null like the bucket id
 * @param recordsSkipped the writer's {@code fileSink.recordsSkipped} counter: records the format skipped as bad
 */
public record PartFileContext(String bucketId, Path partFile, Counter recordsSkipped) {

    /** For formats used outside this sink (e.g. by Flink's own FileSink): no names known, skips counted nowhere. */
    public static final PartFileContext UNKNOWN = new PartFileContext(null, null, new NotCounted());

    /** The part file and its bucket, as error messages and logs name them. */
    public String describe() {
        return bucketId == null ? "an unknown part file" : "part file '" + partFile + "' of bucket '" + bucketId + "'";
    }

    /** A counter without a metric behind it; shared by every user of {@link #UNKNOWN}, so it keeps no count. */
    private static final class NotCounted implements Counter {
        @Override
        public void inc() {}

        @Override
        public void inc(long n) {}

        @Override
        public void dec() {}

        @Override
        public void dec(long n) {}

        @Override
        public long getCount() {
            return 0;
        }
    }
}
