package dev.filesink.s3.commit;

import dev.filesink.s3.S3Destination;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The pieces a range is copied in: contiguous, at most 5 GiB, and at least 5 MiB for ranges of at least 5 MiB. */
class CopyRangesTest {

    private static final long MIB = 1024 * 1024;
    private static final long GIB = 1024 * MIB;

    @Test
    void aRangeUpTo5GiBIsOnePiece() {
        assertThat(CopyRanges.of(7, 5 * MIB)).containsExactly(new CopyRanges.Range(7, 7 + 5 * MIB - 1));
        assertThat(CopyRanges.of(0, 5 * GIB)).containsExactly(new CopyRanges.Range(0, 5 * GIB - 1));
    }

    @Test
    void longerRangesAreCutIntoEqualPiecesOfAtMost5GiB() {
        assertPieces(CopyRanges.of(3, 5 * GIB + 1), 3, 5 * GIB + 1, 2);
        assertPieces(CopyRanges.of(0, 12 * GIB), 0, 12 * GIB, 3);
        assertPieces(CopyRanges.of(5 * MIB, 50 * GIB - 1), 5 * MIB, 50 * GIB - 1, 10);
    }

    private static void assertPieces(List<CopyRanges.Range> ranges, long offset, long length, int count) {
        assertThat(ranges).hasSize(count);
        long next = offset;
        for (CopyRanges.Range range : ranges) {
            assertThat(range.first()).isEqualTo(next);
            assertThat(range.length()).isBetween(S3Destination.MIN_PART_SIZE, S3Destination.MAX_PART_SIZE);
            next = range.last() + 1;
        }
        assertThat(next).isEqualTo(offset + length);
    }
}
