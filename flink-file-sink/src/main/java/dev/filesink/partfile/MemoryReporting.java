package dev.filesink.partfile;

/**
 * Implemented by bulk writers that buffer data in memory (a Parquet row group, an ORC stripe), so that the sink's
 * memory budget can see it.
 */
public interface MemoryReporting {

    /** Bytes the writer holds in memory that are not yet written to the part file's stream. */
    long bufferedBytes();
}
