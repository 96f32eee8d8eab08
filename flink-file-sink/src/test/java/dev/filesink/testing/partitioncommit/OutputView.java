package dev.filesink.testing.partitioncommit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What a storage shows below a sink's base path, by path relative to it: local folders here; object-store tests
 * implement it with their SDK's listing.
 */
public interface OutputView {

    /** Every object/file below the base path (hidden ones too): relative path to a fingerprint (size, ETag). */
    Map<String, String> list();

    byte[] read(String relativePath);

    /** A local folder. */
    static OutputView local(Path root) {
        return new OutputView() {
            @Override
            public Map<String, String> list() {
                Map<String, String> files = new TreeMap<>();
                if (!Files.exists(root)) {
                    return files;
                }
                for (int attempt = 1; ; attempt++) {
                    try (Stream<Path> walk = Files.walk(root)) {
                        walk.filter(Files::isRegularFile).forEach(file -> {
                            try {
                                files.put(root.relativize(file).toString(), Long.toString(Files.size(file)));
                            } catch (NoSuchFileException gone) {
                                // renamed or deleted meanwhile (a temporary file)
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                        });
                        return files;
                    } catch (IOException | UncheckedIOException e) {
                        files.clear();
                        if (attempt >= 10) {
                            throw new IllegalStateException("Cannot list " + root, e);
                        }
                    }
                }
            }

            @Override
            public byte[] read(String relativePath) {
                try {
                    return Files.readAllBytes(root.resolve(relativePath));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
    }
}
