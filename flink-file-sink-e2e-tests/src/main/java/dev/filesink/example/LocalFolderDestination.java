package dev.filesink.example;

import dev.filesink.storage.FileSystemStorage;
import dev.filesink.storage.PartFileStorage;

import org.apache.flink.core.fs.Path;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

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
    public Optional<List<FinishedPartFile>> finishedFiles() throws IOException {
        if (!Files.isDirectory(folder)) {
            return Optional.of(List.of());
        }
        List<java.nio.file.Path> files = new ArrayList<>();
        // In-progress files are renamed and deleted while we walk: skip what vanished.
        Files.walkFileTree(folder, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(java.nio.file.Path file, BasicFileAttributes attrs) {
                if (attrs.isRegularFile() && Destination.isFinished(relative(file))) {
                    files.add(file);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(java.nio.file.Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }
        });
        return Optional.of(files.stream()
                .map(this::describeFile)
                .sorted(Comparator.comparing(FinishedPartFile::relativePath))
                .toList());
    }

    private String relative(java.nio.file.Path file) {
        return folder.relativize(file).toString().replace(java.io.File.separatorChar, '/');
    }

    private FinishedPartFile describeFile(java.nio.file.Path file) {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            size = -1; // removed while listing
        }
        return new FinishedPartFile(relative(file), size);
    }
}
