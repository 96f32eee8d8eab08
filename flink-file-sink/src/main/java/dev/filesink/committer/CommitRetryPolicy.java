package dev.filesink.committer;

import java.io.Serializable;
import java.time.Duration;

/**
 * How often and how patiently a failing commit is retried inside one commit round, before the request is handed
 * back to Flink with {@code retryLater()}.
 */
public record CommitRetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) implements Serializable {

    public static final CommitRetryPolicy DEFAULT =
            new CommitRetryPolicy(5, Duration.ofMillis(100), Duration.ofSeconds(5));

    public CommitRetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("commit retries: maxAttempts must be at least 1, was " + maxAttempts);
        }
        if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("commit retries: backoffs must be non-negative and max >= initial, were "
                    + initialBackoff + " and " + maxBackoff);
        }
    }

    /** The pause after the given failed attempt (1-based): doubling, capped. */
    public long backoffMillis(int failedAttempt) {
        long millis = initialBackoff.toMillis() << Math.min(failedAttempt - 1, 20);
        return Math.min(millis, maxBackoff.toMillis());
    }
}
