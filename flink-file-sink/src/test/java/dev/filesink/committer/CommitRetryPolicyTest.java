package dev.filesink.committer;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CommitRetryPolicyTest {

    @Test
    void backoffDoublesUpToTheCap() {
        CommitRetryPolicy policy = new CommitRetryPolicy(10, Duration.ofMillis(100), Duration.ofSeconds(1));
        assertThat(policy.backoffMillis(1)).isEqualTo(100);
        assertThat(policy.backoffMillis(2)).isEqualTo(200);
        assertThat(policy.backoffMillis(4)).isEqualTo(800);
        assertThat(policy.backoffMillis(5)).isEqualTo(1_000);
        assertThat(policy.backoffMillis(60)).isEqualTo(1_000);
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> new CommitRetryPolicy(0, Duration.ZERO, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxAttempts");
        assertThatThrownBy(() -> new CommitRetryPolicy(1, Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("backoff");
    }
}
