package dev.filesink.example;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Optional;

/** What the job left at its destination, printed when it ends. */
final class OutputReport {

    private static final int MAX_LISTED = 40;

    private OutputReport() {}

    static void print(Destination destination, ExampleOptions options) throws IOException {
        Optional<List<Destination.FinishedPartFile>> listed = destination.finishedFiles();
        if (listed.isEmpty()) {
            System.out.println("Output: " + destination.describe() + " (list it with the store's own tools)");
            return;
        }
        List<Destination.FinishedPartFile> files = listed.get();
        long bytes = files.stream().mapToLong(Destination.FinishedPartFile::size).sum();
        System.out.printf("%nFinished part files in %s:%n", destination.describe());
        files.stream().limit(MAX_LISTED)
                .forEach(file -> System.out.printf("  %,12d  %s%n", file.size(), file.relativePath()));
        if (files.size() > MAX_LISTED) {
            System.out.printf("  ... and %,d more%n", files.size() - MAX_LISTED);
        }
        System.out.printf("%,d finished part files, %,d bytes", files.size(), bytes);
        if (destination instanceof LocalFolderDestination local && options.format().equals("text")
                && options.compression().equals("none")) {
            System.out.printf(", %,d records", countLines(local, files));
        }
        System.out.println();
        System.out.println("Output: " + destination.describe()
                + " (files of earlier runs stay; part files of each run have their own unique id)");
    }

    private static long countLines(LocalFolderDestination local, List<Destination.FinishedPartFile> files)
            throws IOException {
        long lines = 0;
        for (Destination.FinishedPartFile file : files) {
            try (BufferedReader reader = Files.newBufferedReader(
                    local.folder().resolve(file.relativePath()), StandardCharsets.UTF_8)) {
                while (reader.readLine() != null) {
                    lines++;
                }
            }
        }
        return lines;
    }
}
