package dev.filesink.partfile;

import org.apache.flink.api.common.serialization.Encoder;

import java.io.IOException;
import java.io.OutputStream;

/**
 * An {@link Encoder} that needs per-part-file state: a header at the top of every file, a compressor around the
 * file's stream. The sink calls {@link #openPartFile(OutputStream, boolean, PartFileContext)} for every new part
 * file and again for a resumed one. The {@link RecordWriter} it returns may also implement {@link RollRequesting}
 * and {@link MemoryReporting}.
 */
public interface PartFileAwareEncoder<IN> extends Encoder<IN> {

    /**
     * @param out the part file's stream, positioned at its end
     * @param resumed true if the file is resumed after a restore (its preamble is already there)
     */
    RecordWriter<IN> openPartFile(OutputStream out, boolean resumed) throws IOException;

    /**
     * Like {@link #openPartFile(OutputStream, boolean)}, also told the bucket, the file and the writer's metrics;
     * this is what the sink calls. Override it to use them.
     */
    default RecordWriter<IN> openPartFile(OutputStream out, boolean resumed, PartFileContext context)
            throws IOException {
        return openPartFile(out, resumed);
    }

    /** Writes the records of one part file. */
    interface RecordWriter<IN> {

        void write(IN element) throws IOException;

        /**
         * Called before the part file is persisted at a checkpoint: end a compression frame here, so that the file
         * truncated to the persisted length is complete and readable.
         */
        default void beforePersist() throws IOException {}

        /** Called once before the file is closed for commit: write trailers, finish compression. */
        default void finish() throws IOException {}

        /**
         * Called instead of {@link #finish()} when the part file is abandoned (the task shuts down or fails): release
         * what the writer holds (buffers, work handed to other threads). The file itself is never committed.
         */
        default void discard() {}
    }
}
