package dev.filesink.rollingpolicies;

import dev.filesink.partfile.PartFileStatistics;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RollingPoliciesTest {

    @Test
    void defaultPolicyRollsOnSizeRecordCountAgeAndInactivity() throws Exception {
        DefaultRollingPolicy<String, String> policy = DefaultRollingPolicy.builder()
                .withMaxPartSize(1_000)
                .withMaxRecordCount(10)
                .withRolloverInterval(Duration.ofSeconds(60))
                .withInactivityInterval(Duration.ofSeconds(5))
                .build();
        assertThat(policy.shouldRollOnEvent(file(1_000, 9, 0, 0), "x")).isFalse();
        assertThat(policy.shouldRollOnEvent(file(1_001, 9, 0, 0), "x")).isTrue();
        assertThat(policy.shouldRollOnEvent(file(10, 10, 0, 0), "x")).isTrue();
        assertThat(policy.shouldRollOnCheckpoint(file(1_000, 9, 0, 0))).isFalse();
        assertThat(policy.shouldRollOnCheckpoint(file(1_001, 1, 0, 0))).isTrue();
        assertThat(policy.shouldRollOnProcessingTime(file(1, 1, 0, 58_000), 59_999)).isFalse();
        assertThat(policy.shouldRollOnProcessingTime(file(1, 1, 0, 58_000), 60_000)).isTrue();
        assertThat(policy.shouldRollOnProcessingTime(file(1, 1, 0, 1_000), 6_000)).isTrue();
    }

    @Test
    void defaultPolicyRejectsNonPositiveLimitsNamingTheOption() {
        assertThatThrownBy(() -> DefaultRollingPolicy.builder().withMaxPartSize(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxPartSize");
        assertThatThrownBy(() -> DefaultRollingPolicy.builder().withRolloverInterval(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rolloverInterval");
        assertThatThrownBy(() -> DefaultRollingPolicy.builder().withInactivityInterval(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("inactivityInterval");
        assertThatThrownBy(() -> DefaultRollingPolicy.builder().withMaxRecordCount(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxRecordCount");
    }

    @Test
    void checkpointPoliciesAlwaysRollOnCheckpoint() throws Exception {
        OnCheckpointRollingPolicy<String, String> onCheckpoint = OnCheckpointRollingPolicy.build();
        assertThat(onCheckpoint.shouldRollOnCheckpoint(file(0, 0, 0, 0))).isTrue();
        assertThat(onCheckpoint.shouldRollOnEvent(file(1L << 40, 1L << 30, 0, 0), "x")).isFalse();
        assertThat(onCheckpoint.shouldRollOnProcessingTime(file(1, 1, 0, 0), Long.MAX_VALUE)).isFalse();

        SizeTimeCheckpointRollingPolicy<String, String> sized =
                new SizeTimeCheckpointRollingPolicy<>(100, 5, Duration.ofSeconds(1));
        assertThat(sized.shouldRollOnCheckpoint(file(0, 0, 0, 0))).isTrue();
        assertThat(sized.shouldRollOnEvent(file(100, 1, 0, 0), "x")).isTrue();
        assertThat(sized.shouldRollOnEvent(file(1, 5, 0, 0), "x")).isTrue();
        assertThat(sized.shouldRollOnEvent(file(1, 4, 0, 0), "x")).isFalse();
        assertThat(sized.shouldRollOnProcessingTime(file(1, 1, 0, 0), 1_000)).isTrue();
        assertThatThrownBy(() -> new SizeTimeCheckpointRollingPolicy<>(-1, 0, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxPartSize");
    }

    static PartFileStatistics<String> file(long size, long records, long created, long lastUpdate) {
        return new PartFileStatistics<>() {
            @Override
            public long getRecordCount() {
                return records;
            }

            @Override
            public String getBucketId() {
                return "b";
            }

            @Override
            public long getCreationTime() {
                return created;
            }

            @Override
            public long getSize() {
                return size;
            }

            @Override
            public long getLastUpdateTime() {
                return lastUpdate;
            }
        };
    }
}
