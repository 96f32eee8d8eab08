package dev.filesink.example;

import dev.filesink.storage.PartFileStorage;

import org.apache.flink.core.fs.Path;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/** Where the example job writes: the sink's base path and storage, and how to look at what was written. */
public interface Destination {

    /** The sink's base path. */
    Path basePath();

    /** The storage back end the sink writes through. */
    PartFileStorage storage();

    /** A description for people, never with secrets. */
    String describe();

    /**
     * The finished part files below the base path (not in-progress ones), sorted by name; empty when this
     * destination cannot be listed from the client.
     */
    Optional<List<FinishedPartFile>> finishedFiles() throws IOException;

    /** A finished part file: its location relative to the base path and its size. */
    record FinishedPartFile(String relativePath, long size) {}

    /** Finished files are those with no hidden segment (".x" or "_x") in their path below the base path. */
    static boolean isFinished(String relativePath) {
        for (String segment : relativePath.split("/")) {
            if (segment.startsWith(".") || segment.startsWith("_")) {
                return false;
            }
        }
        return !relativePath.isEmpty();
    }
}
