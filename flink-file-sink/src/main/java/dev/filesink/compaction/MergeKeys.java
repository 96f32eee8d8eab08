package dev.filesink.compaction;

import org.apache.flink.connector.file.sink.compactor.OutputStreamBasedFileCompactor;
import org.apache.flink.core.fs.Path;

import java.io.IOException;

/**
 * Implemented by a byte-wise compactor ({@link OutputStreamBasedFileCompactor}) that can merge only inputs which agree
 * on what their bytes depend on (a bulk format's schema and codec). Before a group is compacted the sink asks each
 * input for its key and compacts the inputs of each key into a file of their own, named after the first of them; an
 * input alone with its key is handed on as it is. Files that cannot be merged are thus never given to one call of
 * {@code compact}.
 */
public interface MergeKeys {

    /**
     * Equal for inputs this compactor can merge into one file. It may be logged: it must not hold secrets.
     *
     * @throws IOException if the input cannot be read (the compaction fails, naming the input)
     */
    String mergeKey(Path input) throws IOException;
}
