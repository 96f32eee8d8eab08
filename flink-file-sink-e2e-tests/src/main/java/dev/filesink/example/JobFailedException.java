package dev.filesink.example;

import org.apache.flink.api.common.JobID;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The example job failed. The message lists every distinct message of the cause chain, so that the reason (for
 * example a sink's "bucket does not exist") is readable in the CLI output without digging through stack traces.
 */
public final class JobFailedException extends Exception {

    private static final long serialVersionUID = 1L;

    private JobFailedException(String message, Throwable cause) {
        super(message, cause);
    }

    static JobFailedException of(JobID jobId, Throwable failure) {
        Set<String> messages = new LinkedHashSet<>();
        for (Throwable t = failure; t != null && messages.size() < 20; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                messages.add(t.getMessage().strip());
            }
        }
        StringBuilder message = new StringBuilder("Job ").append(jobId).append(" failed.");
        for (String m : messages) {
            message.append("\n  because: ").append(m);
        }
        return new JobFailedException(message.toString(), failure);
    }
}
