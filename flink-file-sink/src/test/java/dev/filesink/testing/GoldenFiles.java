package dev.filesink.testing;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Serialized state checked into a module's test resources, which later versions of the code must keep restoring. A
 * missing file fails the test: writing it anew would make the test pass while proving nothing. Files are written
 * only on request, for a new serializer version: {@code -Dfilesink.regenerateSerialized=true}.
 */
public final class GoldenFiles {

    private static final String REGENERATE = "filesink.regenerateSerialized";

    private GoldenFiles() {}

    /** The bytes of {@code name} below {@code folder}; with the property set, {@code fresh} is written there first. */
    public static byte[] read(Path folder, String name, BytesSupplier fresh) throws Exception {
        Path file = folder.resolve(name);
        if (Boolean.getBoolean(REGENERATE)) {
            Files.createDirectories(folder);
            Files.write(file, fresh.get());
        }
        assertThat(file).as("golden file %s (write it once with -D%s=true, then commit it)", file, REGENERATE)
                .exists();
        return Files.readAllBytes(file);
    }

    /**
     * The bytes of {@code name} below {@code folder}, written once by an older release's serializer: never
     * regenerated, as today's code can no longer write that version.
     */
    public static byte[] readFromOlderRelease(Path folder, String name) throws Exception {
        Path file = folder.resolve(name);
        assertThat(file).as("golden file %s, written by an older release", file).exists();
        return Files.readAllBytes(file);
    }

    /** Produces the bytes of a golden file. */
    @FunctionalInterface
    public interface BytesSupplier {
        byte[] get() throws Exception;
    }
}
