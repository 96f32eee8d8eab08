package dev.filesink.storage.objectstore;

import dev.filesink.storage.PartFileStorage;

import java.io.Serializable;

/**
 * The part every object store's {@link PartFileStorage} shares: its destination (the store's serializable settings)
 * and the variant a compacting sink writes with, where part files are kept under hidden names until their commit
 * ({@link #forCompaction()}). Both variants commit the files of both (compaction switched on or off through a
 * savepoint).
 *
 * @param <D> the store's settings, e.g. {@code S3Destination}
 */
public abstract class ObjectStoreStorage<D extends Serializable> implements PartFileStorage {

    private static final long serialVersionUID = 1L;

    private final D destination;
    private final boolean hiddenNames;

    protected ObjectStoreStorage(D destination, boolean hiddenNames, String storeName) {
        if (destination == null) {
            throw new IllegalArgumentException(storeName + " destination must not be null");
        }
        this.destination = destination;
        this.hiddenNames = hiddenNames;
    }

    public final D destination() {
        return destination;
    }

    /** Whether part files are written under hidden names (the variant of a compacting sink). */
    protected final boolean hiddenNames() {
        return hiddenNames;
    }

    /** The same storage writing under hidden names. */
    protected abstract ObjectStoreStorage<D> withHiddenNames();

    @Override
    public final PartFileStorage forCompaction() {
        return hiddenNames ? this : withHiddenNames();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "{" + destination + (hiddenNames ? ", hidden in-progress names" : "") + "}";
    }
}
