package dev.filesink.storage.objectstore;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackgroundUploaderTest {

    @Test
    void returnsEachUploadsResultAndReleasesItsBuffer() throws Exception {
        AtomicInteger released = new AtomicInteger();
        try (BackgroundUploader uploader = new BackgroundUploader("test", 2, 1, 1, 1_000)) {
            CompletableFuture<String> part = uploader.submit(() -> "etag-1", released::incrementAndGet);
            CompletableFuture<String> request = uploader.submitRequest(() -> "tail", released::incrementAndGet);
            assertThat(part.get(10, TimeUnit.SECONDS)).isEqualTo("etag-1");
            assertThat(request.get(10, TimeUnit.SECONDS)).isEqualTo("tail");
        }
        assertThat(released).hasValue(2);
    }

    @Test
    void aFailedUploadFailsItsFutureAndStillReleases() throws Exception {
        AtomicInteger released = new AtomicInteger();
        try (BackgroundUploader uploader = new BackgroundUploader("test", 1, 0, 0, 1_000)) {
            CompletableFuture<String> part = uploader.submit(() -> {
                throw new IOException("connection reset");
            }, released::incrementAndGet);
            assertThatThrownBy(() -> part.get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasRootCauseMessage("connection reset");
            // The slot is free again: a next upload runs.
            assertThat(uploader.submit(() -> "next", null).get(10, TimeUnit.SECONDS)).isEqualTo("next");
        }
        assertThat(released).hasValue(1);
    }

    @Test
    void aWriterWaitsWhileThreadsAndQueueAreFull() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        try (BackgroundUploader uploader = new BackgroundUploader("test", 1, 1, 0, 1_000)) {
            uploader.submit(() -> {
                running.countDown();
                try {
                    finish.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return 1;
            }, null);
            assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
            uploader.submit(() -> 2, null); // waits in the queue
            assertThat(uploader.dataInFlight()).isEqualTo(2);

            CompletableFuture<Void> third = CompletableFuture.runAsync(() -> {
                try {
                    uploader.submit(() -> 3, null);
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            Thread.sleep(200);
            assertThat(third).as("the third upload waits for a slot").isNotDone();

            finish.countDown();
            third.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void closeCancelsQueuedUploadsAndReleasesTheirBuffers() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        AtomicInteger released = new AtomicInteger();
        BackgroundUploader uploader = new BackgroundUploader("test", 1, 1, 0, 5_000);
        CompletableFuture<Integer> first = uploader.submit(() -> {
            running.countDown();
            try {
                finish.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // close interrupts running uploads
            }
            return 1;
        }, released::incrementAndGet);
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Integer> queued = uploader.submit(() -> 2, released::incrementAndGet);

        uploader.close();

        assertThat(first).isCompletedWithValue(1);
        assertThatThrownBy(queued::join).hasRootCauseMessage("Upload cancelled: the writer was closed");
        assertThat(released).hasValue(2);
        assertThatThrownBy(() -> uploader.submit(() -> 3, released::incrementAndGet))
                .isInstanceOf(IOException.class)
                .hasMessage("The upload pool is shut down");
        assertThat(released).hasValue(3);
        assertThatThrownBy(() -> uploader.submitRequest(() -> 4, null)).isInstanceOf(IllegalStateException.class);
    }
}
