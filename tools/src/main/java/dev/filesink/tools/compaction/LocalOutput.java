package dev.filesink.tools.compaction;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A sink's output folder at the end of a run: the visible files (those a reader sees), which of them are compacted
 * ({@code compacted-*}, as both sinks name them), and every hidden file left (in-progress, or in a hidden folder).
 */
record LocalOutput(List<Path> visible, long visibleBytes, int compacted, long compactedBytes, List<Path> hidden) {

    static LocalOutput of(Path dir) throws IOException {
        List<Path> visible = new ArrayList<>();
        List<Path> hidden = new ArrayList<>();
        long visibleBytes = 0;
        int compacted = 0;
        long compactedBytes = 0;
        if (!Files.exists(dir)) {
            return new LocalOutput(visible, 0, 0, 0, hidden);
        }
        try (var files = Files.walk(dir)) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                if (isHidden(dir.relativize(file))) {
                    hidden.add(file);
                    continue;
                }
                long size = Files.size(file);
                visible.add(file);
                visibleBytes += size;
                if (file.getFileName().toString().startsWith("compacted-")) {
                    compacted++;
                    compactedBytes += size;
                }
            }
        }
        return new LocalOutput(visible, visibleBytes, compacted, compactedBytes, hidden);
    }

    private static boolean isHidden(Path relative) {
        for (Path part : relative) {
            if (part.toString().startsWith(".") || part.toString().startsWith("_")) {
                return true;
            }
        }
        return false;
    }
}
