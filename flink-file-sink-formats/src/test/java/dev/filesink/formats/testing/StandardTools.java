package dev.filesink.formats.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reads compressed files with the command line tools a user would use ({@code zcat}, {@code zstd -dc},
 * {@code lz4 -dc}, {@code bzip2 -dc}) when they are installed, and compares with what the Java decompressors read.
 */
public final class StandardTools {

    private static final Map<String, List<String>> BY_EXTENSION = Map.of(
            ".gz", List.of("gzip", "-dc"),
            ".zst", List.of("zstd", "-q", "-dc"),
            ".lz4", List.of("lz4", "-q", "-dc"),
            ".bz2", List.of("bzip2", "-dc"));

    private StandardTools() {}

    /** Checks the file with its codec's tool, if the file has one and the tool is installed; returns whether it did. */
    public static boolean assertToolReads(Path file) throws IOException, InterruptedException {
        String name = file.getFileName().toString();
        List<String> command = BY_EXTENSION.entrySet().stream().filter(e -> name.endsWith(e.getKey()))
                .map(Map.Entry::getValue).findFirst().orElse(null);
        if (command == null || !installed(command.get(0))) {
            return false;
        }
        Process process = new ProcessBuilder(concat(command, file.toString()))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] read = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("%s on %s", command, file).isZero();
        assertThat(read).as("what %s reads from %s", command, file).isEqualTo(Decompress.file(file));
        return true;
    }

    private static boolean installed(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (new File(dir, tool).canExecute()) {
                return true;
            }
        }
        return false;
    }

    private static List<String> concat(List<String> command, String file) {
        List<String> all = new java.util.ArrayList<>(command);
        all.add(file);
        return all;
    }
}
