package dev.filesink.s3.commit;

import dev.filesink.s3.S3Destination;

import java.util.ArrayList;
import java.util.List;

/**
 * How a range of an object is copied in parts: S3 copies at most 5 GiB per {@code UploadPartCopy}, and every part
 * but the last must be at least 5 MiB. The range is cut into equal pieces of at most 5 GiB, so a range of at least
 * 5 MiB gives pieces of at least 5 MiB (or one piece).
 */
public final class CopyRanges {

    /** One piece: bytes {@code first..last} of the source, inclusive. */
    public record Range(long first, long last) {
        public long length() {
            return last - first + 1;
        }
    }

    private CopyRanges() {}

    /** Bytes {@code offset..offset+length-1} in pieces; {@code length} must be positive. */
    public static List<Range> of(long offset, long length) {
        long pieces = (length + S3Destination.MAX_PART_SIZE - 1) / S3Destination.MAX_PART_SIZE;
        long size = (length + pieces - 1) / pieces;
        List<Range> ranges = new ArrayList<>();
        for (long start = offset; start < offset + length; start += size) {
            ranges.add(new Range(start, Math.min(start + size, offset + length) - 1));
        }
        return ranges;
    }
}
