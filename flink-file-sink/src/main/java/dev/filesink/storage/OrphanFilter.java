package dev.filesink.storage;

/** Decides, by its final file name, whether an in-progress part file is an orphan that may be discarded. */
@FunctionalInterface
public interface OrphanFilter {

    boolean isOrphan(String finalFileName);
}
