package dev.filesink.bucketassigners;

import org.apache.flink.streaming.api.functions.sink.filesystem.BucketAssigner;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DateTimeBucketAssignerTest {

    @Test
    void defaultsToHourlyBucketsInTheGivenZone() {
        DateTimeBucketAssigner<String> assigner = new DateTimeBucketAssigner<>(ZoneId.of("UTC"));
        long time = Instant.parse("2026-11-24T10:15:30Z").toEpochMilli();
        assertThat(assigner.getBucketId("x", at(time))).isEqualTo("2026-11-24--10");
    }

    @Test
    void cachedIdsEqualFreshlyFormattedOnesAcrossWindowBoundaries() {
        String[] patterns = {"yyyy-MM-dd--HH", "yyyy/MM/dd", "yyyy-MM-dd--HH-mm", "HH:mm:ss", "yyyy-MM-dd'T'HH'h'",
                "yyyy-MM-dd--HH-mm-ss-SSS", "EEE yyyy-ww"};
        String[] zones = {"UTC", "Europe/Berlin", "Asia/Kolkata", "America/St_Johns", "Australia/Lord_Howe"};
        Random random = new Random(42);
        for (String pattern : patterns) {
            for (String zone : zones) {
                ZoneId zoneId = ZoneId.of(zone);
                DateTimeFormatter reference = DateTimeFormatter.ofPattern(pattern).withZone(zoneId);
                DateTimeBucketAssigner<String> assigner = new DateTimeBucketAssigner<>(pattern, zoneId);
                long time = Instant.parse("2026-03-28T20:00:00Z").toEpochMilli(); // spans the spring DST change
                for (int i = 0; i < 20_000; i++) {
                    time += random.nextInt(90_000);
                    assertThat(assigner.getBucketId("x", at(time)))
                            .as("pattern %s zone %s at %s", pattern, zone, Instant.ofEpochMilli(time))
                            .isEqualTo(reference.format(Instant.ofEpochMilli(time)));
                }
            }
        }
    }

    @Test
    void timeGoingBackwardsStillGivesTheRightBucket() {
        DateTimeBucketAssigner<String> assigner = new DateTimeBucketAssigner<>(ZoneId.of("UTC"));
        assertThat(assigner.getBucketId("x", at(Instant.parse("2026-11-24T10:59:59Z").toEpochMilli())))
                .isEqualTo("2026-11-24--10");
        assertThat(assigner.getBucketId("x", at(Instant.parse("2026-11-24T11:00:00Z").toEpochMilli())))
                .isEqualTo("2026-11-24--11");
        assertThat(assigner.getBucketId("x", at(Instant.parse("2026-11-24T09:30:00Z").toEpochMilli())))
                .isEqualTo("2026-11-24--09");
    }

    @Test
    void rejectsBadPatternsNamingTheOption() {
        assertThatThrownBy(() -> new DateTimeBucketAssigner<String>("yyyy-MM-dd-{bad}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("formatString");
        assertThatThrownBy(() -> new DateTimeBucketAssigner<String>(""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("formatString");
    }

    @Test
    void finestUnitIgnoresQuotedLetters() {
        assertThat(PatternResolution.finestUnit("yyyy-MM-dd'T'HH")).hasToString("Hours");
        assertThat(PatternResolution.finestUnit("'minute' yyyy")).hasToString("Days");
        assertThat(PatternResolution.finestUnit("HH:mm:ss.SSS")).hasToString("Millis");
    }

    @Test
    void basePathAssignerUsesTheBasePath() {
        assertThat(new BasePathBucketAssigner<String>().getBucketId("x", at(0))).isEmpty();
        assertThat(StringBucketIdSerializer.INSTANCE.deserialize(1, StringBucketIdSerializer.INSTANCE.serialize("a/ü")))
                .isEqualTo("a/ü");
    }

    static BucketAssigner.Context at(long processingTime) {
        return new BucketAssigner.Context() {
            @Override
            public long currentProcessingTime() {
                return processingTime;
            }

            @Override
            public long currentWatermark() {
                return Long.MIN_VALUE;
            }

            @Override
            public Long timestamp() {
                return null;
            }
        };
    }
}
