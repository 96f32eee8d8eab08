package dev.filesink.example;

import dev.filesink.storage.FileSystemStorage;
import dev.filesink.storage.PartFileStorage;

import org.apache.flink.core.fs.Path;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.stream.Stream;

/** A folder on the local file system (or one mounted on every TaskManager), written through Flink's file system. */
final class LocalFolderDestination implements Destination {

    private final java.nio.file.Path folder;

    LocalFolderDestination(java.nio.file.Path folder) {
        this.folder = folder.toAbsolutePath().normalize();
    }

    /** Accepts {@code file:///abs/path}, {@code /abs/path} and paths relative to the working directory. */
    static LocalFolderDestination parse(String destination) {
        if (destination.startsWith("file:")) {
            return new LocalFolderDestination(java.nio.file.Path.of(java.net.URI.create(destination)));
        }
        return new LocalFolderDestination(java.nio.file.Path.of(destination));
    }

    java.nio.file.Path folder() {
        return folder;
    }

    @Override
    public Path basePath() {
        return new Path(folder.toUri());
    }

    @Override
    public PartFileStorage storage() {
        return FileSystemStorage.INSTANCE;
    }

    @Override
    public String describe() {
        return "local folder " + folder;
    }

    @Override
    public List<FinishedPartFile> finishedFiles() throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<java.nio.file.Path> walk = Files.walk(folder)) {
            return walk.filter(Files::isRegularFile)
                    .filter(this::isFinished)
                    .map(this::describeFile)
                    .sorted(java.util.Comparator.comparing(FinishedPartFile::relativePath))
                    .toList();
        }
    }

    /** In-progress and pending files are hidden ({@code .part-...inprogress...}), as are folders starting with _ or . */
    private boolean isFinished(java.nio.file.Path file) {
        for (java.nio.file.Path part : folder.relativize(file)) {
            String name = part.toString();
            if (name.startsWith(".") || name.startsWith("_")) {
                return false;
            }
        }
        return true;
    }

    private FinishedPartFile describeFile(java.nio.file.Path file) {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            size = -1; // removed while listing
        }
        return new FinishedPartFile(folder.relativize(file).toString(), size);
    }
}
