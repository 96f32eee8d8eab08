package dev.filesink.storage;

/**
 * A storage's recoverable that knows how many bytes of its part file it makes durable. Flink's FileSink state does
 * not store an in-progress file's length beside its recoverable; when ours takes such a state over, the storage's
 * recoverable tells it (Flink's local and Hadoop recoverables have an {@code offset()} accessor instead).
 */
public interface LengthAwareRecoverable {

    /** Bytes of the part file that this recoverable makes durable. */
    long persistedLength();
}
