package dev.filesink.partfile;

/**
 * Implemented by a part file's format writer (a Parquet row group, an ORC stripe) or its storage stream (Azure's
 * block buffer) when it holds data in memory, so that the writer's memory budget ({@code withMaxBufferedBytes}) and
 * the {@code fileSink.bufferedBytes} gauge see it.
 */
public interface MemoryReporting {

    /** Bytes held in memory that rolling the part file would free. Called from the writer's thread. */
    long bufferedBytes();
}
