package dev.filesink.example;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/** One line of progress: elapsed time, job status and what is visible at the destination so far. */
final class Progress {

    private final Destination destination;
    private final long startNanos = System.nanoTime();

    Progress(Destination destination) {
        this.destination = destination;
    }

    String line(String jobStatus) {
        long seconds = (System.nanoTime() - startNanos) / 1_000_000_000L;
        return String.format("[%3ds] %-10s %s", seconds, jobStatus, visible());
    }

    private String visible() {
        try {
            Optional<List<Destination.FinishedPartFile>> listed = destination.finishedFiles();
            if (listed.isEmpty()) {
                return "";
            }
            List<Destination.FinishedPartFile> files = listed.get();
            long bytes = files.stream().mapToLong(Destination.FinishedPartFile::size).sum();
            return String.format("%,d finished part files, %,.1f MB", files.size(), bytes / 1e6);
        } catch (IOException | RuntimeException e) {
            return "(cannot list the destination: " + e.getMessage() + ")";
        }
    }
}
