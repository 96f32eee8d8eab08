package dev.filesink.formats.bulk;

import dev.filesink.rollingpolicies.CheckpointRollingPolicy;

import org.apache.flink.streaming.api.functions.sink.filesystem.PartFileInfo;
import org.apache.flink.streaming.api.functions.sink.filesystem.RollingPolicy;

import java.io.IOException;

/**
 * Rolls a bulk part file when a record arrives that the file's writer does not accept (another schema), and
 * otherwise does what the wrapped policy does (which rolls on every checkpoint, as bulk formats must).
 */
public final class SchemaChangeRollingPolicy<IN> extends CheckpointRollingPolicy<IN, String> {

    private static final long serialVersionUID = 1L;

    private final RollingPolicy<IN, String> delegate;

    public SchemaChangeRollingPolicy(RollingPolicy<IN, String> delegate) {
        this.delegate = delegate;
    }

    public RollingPolicy<IN, String> delegate() {
        return delegate;
    }

    @Override
    public boolean shouldRollOnEvent(PartFileInfo<String> partFile, IN element) throws IOException {
        if (partFile instanceof FormatBulkPartFile<?> file && !((FormatBulkPartFile<IN>) file).accepts(element)) {
            return true;
        }
        return delegate.shouldRollOnEvent(partFile, element);
    }

    @Override
    public boolean shouldRollOnProcessingTime(PartFileInfo<String> partFile, long currentTime) throws IOException {
        return delegate.shouldRollOnProcessingTime(partFile, currentTime);
    }

    @Override
    public String toString() {
        return "SchemaChangeRollingPolicy(" + delegate + ")";
    }
}
