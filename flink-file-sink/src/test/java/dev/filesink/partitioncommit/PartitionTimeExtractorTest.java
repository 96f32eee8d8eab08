package dev.filesink.partitioncommit;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PartitionTimeExtractorTest {

    @Test
    void readsDateTimeBucketAssignerIdsAndInfersAnHour() {
        PartitionTimeExtractor extractor = PartitionTimeExtractor.defaultBucketIds().withZone(ZoneOffset.UTC);
        assertThat(extractor.start("2026-12-04--10")).isEqualTo(Instant.parse("2026-12-04T10:00:00Z"));
        assertThat(extractor.end("2026-12-04--10")).isEqualTo(Instant.parse("2026-12-04T11:00:00Z"));
    }

    @Test
    void fillsAPatternFromKeyValueSegments() {
        PartitionTimeExtractor extractor = PartitionTimeExtractor
                .pattern("$dt $hour:00:00", "yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
        assertThat(extractor.start("dt=2026-12-04/hour=10")).isEqualTo(Instant.parse("2026-12-04T10:00:00Z"));
        assertThat(extractor.end("dt=2026-12-04/hour=10")).isEqualTo(Instant.parse("2026-12-04T11:00:00Z"));
        assertThat(extractor.end("country=de/dt=2026-12-04/hour=23")).isEqualTo(Instant.parse("2026-12-05T00:00:00Z"));
    }

    @Test
    void infersTheFinestFieldTheBucketIdFills() {
        assertThat(PartitionTimeExtractor.inferUnit("$dt", "yyyy-MM-dd")).isEqualTo(ChronoUnit.DAYS);
        assertThat(PartitionTimeExtractor.inferUnit("$dt 00:00:00", "yyyy-MM-dd HH:mm:ss")).isEqualTo(ChronoUnit.DAYS);
        assertThat(PartitionTimeExtractor.inferUnit("$dt $hour:$minute:00", "yyyy-MM-dd HH:mm:ss"))
                .isEqualTo(ChronoUnit.MINUTES);
        assertThat(PartitionTimeExtractor.inferUnit(null, "yyyy-MM-dd--HH")).isEqualTo(ChronoUnit.HOURS);
        assertThat(PartitionTimeExtractor.inferUnit("$year-$month-01", "yyyy-MM-dd")).isEqualTo(ChronoUnit.MONTHS);
    }

    @Test
    void anExplicitLengthWins() {
        PartitionTimeExtractor extractor = PartitionTimeExtractor.bucketIdFormat("yyyy-MM-dd--HH")
                .withZone(ZoneOffset.UTC).withPartitionLength(Duration.ofMinutes(15));
        assertThat(extractor.end("2026-12-04--10")).isEqualTo(Instant.parse("2026-12-04T10:15:00Z"));
    }

    @Test
    void badInputIsNamed() {
        assertThatThrownBy(() -> PartitionTimeExtractor.pattern("dt", "yyyy-MM-dd"))
                .hasMessageContaining("names no $variable");
        assertThatThrownBy(() -> PartitionTimeExtractor.bucketIdFormat("yyyy-MM-dd--HHX!{"))
                .hasMessageContaining("bad formatter");
        PartitionTimeExtractor extractor = PartitionTimeExtractor.pattern("$dt", "yyyy-MM-dd");
        assertThatThrownBy(() -> extractor.start("day=2026-12-04"))
                .hasMessageContaining("day=2026-12-04").hasMessageContaining("'dt=...'");
        assertThatThrownBy(() -> PartitionTimeExtractor.defaultBucketIds().start("not-a-time"))
                .hasMessageContaining("'not-a-time'");
        assertThatThrownBy(() -> PartitionCommit.builder().build()).hasMessageContaining("at least one policy");
        assertThatThrownBy(() -> PartitionCommit.builder().successFile().delay(Duration.ofSeconds(-1)).build())
                .hasMessageContaining("delay");
    }
}
