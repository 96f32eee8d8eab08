package dev.filesink.storage.objectstore;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PendingRecoverableTest {

    @Test
    void resolvesToTheDurableStateOnceTheUploadsEnd() throws Exception {
        CompletableFuture<String> durable = new CompletableFuture<>();
        AtomicInteger released = new AtomicInteger();
        PendingRecoverable<String> pending = new PendingRecoverable<>("part-0", durable, released::incrementAndGet);
        assertThat(pending.isDone()).isFalse();
        assertThat(pending).hasToString("PendingRecoverable{part-0, uploading}");

        durable.complete("state of part-0");

        assertThat(PendingRecoverable.resolve(pending, String.class, "test")).isEqualTo("state of part-0");
        assertThat(released).hasValue(1);
        assertThat(pending).hasToString("PendingRecoverable{part-0, durable}");
    }

    @Test
    void aDurableStateResolvesToItself() throws Exception {
        assertThat(PendingRecoverable.resolve("already durable", String.class, "test")).isEqualTo("already durable");
    }

    @Test
    void aFailedUploadFailsWhoeverWaitsAndStillReleases() {
        AtomicInteger released = new AtomicInteger();
        PendingRecoverable<String> pending = new PendingRecoverable<>("part-1",
                CompletableFuture.failedFuture(new IOException("503 Slow Down")), released::incrementAndGet);

        assertThatThrownBy(() -> PendingRecoverable.resolve(pending, String.class, "test"))
                .isInstanceOf(IOException.class)
                .hasMessage("Upload of part-1 failed: 503 Slow Down")
                .hasRootCauseMessage("503 Slow Down");
        assertThat(released).hasValue(1);
    }

    @Test
    void aRecoverableOfAnotherStorageIsNamed() {
        assertThatThrownBy(() -> PendingRecoverable.resolve(42, String.class, "Test"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("Not a recoverable of the Test writer: java.lang.Integer");
        PendingRecoverable<Integer> pendingOfOther =
                new PendingRecoverable<>("part-2", CompletableFuture.completedFuture(7), null);
        assertThatThrownBy(() -> PendingRecoverable.resolve(pendingOfOther, String.class, "Test"))
                .hasMessageContaining("java.lang.Integer");
    }
}
