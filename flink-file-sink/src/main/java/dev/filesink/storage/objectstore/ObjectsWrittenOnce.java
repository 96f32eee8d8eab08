package dev.filesink.storage.objectstore;

import org.apache.flink.core.fs.Path;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Small objects written once in an object store (success files, checkpoint manifests), the part every store shares:
 * one conditional PUT ({@code If-None-Match: *}) stores the object whole or is refused, never replacing one.
 *
 * <p>An SDK retries a PUT whose answer was lost; if the first attempt was stored, the retry is refused although this
 * call created the object. Each call therefore puts a random token into the object's metadata, and a refusal is this
 * call's creation exactly if the object there carries its token. (Equal content would not do: a second caller
 * writing the same bytes must still hear false.)
 *
 * @param <L> the store's location type (bucket and key, container and blob name)
 */
public abstract class ObjectsWrittenOnce<L> {

    private static final Logger LOG = LoggerFactory.getLogger(ObjectsWrittenOnce.class);

    /** {@code StorageSession.createFileOnce}: true if this call created the object, false if one was there. */
    public final boolean createOnce(Path path, byte[] content) throws IOException {
        L location = locate(path);
        String token = UUID.randomUUID().toString();
        if (putIfAbsent(location, content, token)) {
            return true;
        }
        Optional<Map<String, String>> existing = metadataOf(location);
        if (existing.isEmpty()) {
            throw new IOException("Writing " + describe(location) + " was refused because an object exists there, "
                    + "but none is there now (deleted meanwhile?); not written");
        }
        if (token.equals(existing.get().get(tokenMetadataKey()))) {
            LOG.debug("{} was stored by an earlier attempt of this write (its answer was lost)", describe(location));
            return true;
        }
        return false;
    }

    /** {@code StorageSession.readFile}: the whole object, or empty if there is none (a missing bucket fails). */
    public abstract Optional<byte[]> read(Path path) throws IOException;

    /** The location of an object (not a bucket or container), or an exception naming the path. */
    protected abstract L locate(Path path) throws IOException;

    /** One conditional PUT carrying the token; false if the store refused it because an object exists there. */
    protected abstract boolean putIfAbsent(L location, byte[] content, String token) throws IOException;

    /** The metadata of the object there, or empty if there is none. */
    protected abstract Optional<Map<String, String>> metadataOf(L location) throws IOException;

    /** The metadata key that carries the writing call's token. */
    protected abstract String tokenMetadataKey();

    /** The object's name for messages: store, bucket or container, key. */
    protected abstract String describe(L location);
}
