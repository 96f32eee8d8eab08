package dev.filesink.example;

import dev.filesink.storage.PartFileStorage;

import org.apache.flink.core.fs.Path;

import java.io.IOException;
import java.util.List;

/** Where the example job writes: the sink's base path and storage, and how to look at what was written. */
public interface Destination {

    /** The sink's base path. */
    Path basePath();

    /** The storage back end the sink writes through. */
    PartFileStorage storage();

    /** A description for people, never with secrets. */
    String describe();

    /** The finished part files below the base path (not in-progress ones), sorted by name. */
    List<FinishedPartFile> finishedFiles() throws IOException;

    /** A finished part file: its location relative to the base path and its size. */
    record FinishedPartFile(String relativePath, long size) {}
}
