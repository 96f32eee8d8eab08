package dev.filesink.azure.writer;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The part files open for writing in this JVM, by container and blob name, so that a rolling policy (which only
 * sees a part file's path and statistics) can ask how close a part file is to the block limit. Part file names are
 * unique per writer, so entries of different jobs never meet.
 */
public final class OpenBlobs {

    private static final Map<String, BlockBlobOutputStream> OPEN = new ConcurrentHashMap<>();

    private OpenBlobs() {}

    static void register(String container, String blobName, BlockBlobOutputStream stream) {
        OPEN.put(key(container, blobName), stream);
    }

    static void unregister(String container, String blobName, BlockBlobOutputStream stream) {
        OPEN.remove(key(container, blobName), stream);
    }

    public static Optional<BlockBlobOutputStream> find(String container, String blobName) {
        return Optional.ofNullable(OPEN.get(key(container, blobName)));
    }

    private static String key(String container, String blobName) {
        return container + '/' + blobName;
    }
}
