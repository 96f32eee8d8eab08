package dev.filesink.partitioncommit;

import org.apache.flink.metrics.SimpleCounter;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PartitionTrackerTest {

    private static final String HOUR_10 = "2026-12-04--10";
    private static final long CLOSES = Instant.parse("2026-12-04T11:05:00Z").toEpochMilli();

    private final SimpleCounter dropped = new SimpleCounter();
    private final SimpleCounter written = new SimpleCounter();

    @Test
    void lateMeansEndPlusDelayAtOrBeforeTheWatermark() throws Exception {
        PartitionTracker tracker = tracker(LateRecordHandling.DROP);
        assertThat(tracker.admit(HOUR_10, CLOSES - 10, CLOSES - 1)).isTrue();
        assertThat(tracker.admit(HOUR_10, CLOSES - 10, CLOSES)).isFalse();
        assertThat(dropped.getCount()).isEqualTo(1);
        assertThat(tracker.admit(HOUR_10, CLOSES - 10, Long.MIN_VALUE)).as("no watermark yet").isTrue();

        PartitionTracker writing = tracker(LateRecordHandling.WRITE_AND_ANNOUNCE_AGAIN);
        assertThat(writing.admit(HOUR_10, CLOSES - 10, CLOSES + 1)).isTrue();
        assertThat(written.getCount()).isEqualTo(1);
    }

    @Test
    void failingNamesTheBucketTheTimestampAndTheWatermark() {
        PartitionTracker tracker = tracker(LateRecordHandling.FAIL);
        assertThatThrownBy(() -> tracker.admit(HOUR_10, 1234L, CLOSES + 7))
                .hasMessageContaining(HOUR_10).hasMessageContaining("1234").hasMessageContaining(Long.toString(CLOSES + 7));
    }

    @Test
    void progressReportsAndForgetsTheBucketsThatReceivedRecords() throws Exception {
        PartitionTracker tracker = tracker(LateRecordHandling.DROP);
        tracker.admit(HOUR_10, 1L, 0);
        WriterProgress progress = tracker.progress(42, List.of(HOUR_10), false);
        assertThat(progress).isEqualTo(new WriterProgress(1, 2, 42, Set.of(HOUR_10), Set.of(HOUR_10), false));
        assertThat(tracker.progress(43, List.of(), true).bucketsWithRecords()).isEmpty();
        assertThat(tracker.isDue(HOUR_10, CLOSES, 0, 0)).isTrue();
        assertThat(tracker.isDue(HOUR_10, CLOSES - 1, 0, 0)).isFalse();
    }

    @Test
    void theFinalWatermarkClosesBucketsWhoseIdsCarryNoTime() {
        // BATCH with the default (event-time) trigger: the only watermark is the final one, and "shard=0" has no time.
        PartitionTracker tracker = tracker(LateRecordHandling.FAIL);
        assertThat(tracker.isDue("shard=0", Long.MAX_VALUE, 0, 0)).isTrue();
        assertThat(tracker.isDue("shard=0", Long.MIN_VALUE, 0, 0)).isFalse();
    }

    @Test
    void processingTimeRollsIdleBucketsAndNeverCallsARecordLate() throws Exception {
        PartitionCommit settings = PartitionCommit.builder().processTime().delay(Duration.ofSeconds(10))
                .successFile().lateRecords(LateRecordHandling.FAIL).build();
        PartitionTracker tracker = new PartitionTracker(settings, 0, 1, dropped, written);
        assertThat(tracker.admit("any-bucket", null, Long.MAX_VALUE)).isTrue();
        assertThat(tracker.isDue("any-bucket", Long.MIN_VALUE, 5_000, 14_999)).isFalse();
        assertThat(tracker.isDue("any-bucket", Long.MIN_VALUE, 5_000, 15_000)).isTrue();
    }

    private PartitionTracker tracker(LateRecordHandling late) {
        PartitionCommit settings = PartitionCommit.builder()
                .timeExtractor(PartitionTimeExtractor.defaultBucketIds().withZone(ZoneOffset.UTC))
                .delay(Duration.ofMinutes(5))
                .lateRecords(late)
                .successFile()
                .build();
        return new PartitionTracker(settings, 1, 2, dropped, written);
    }
}
