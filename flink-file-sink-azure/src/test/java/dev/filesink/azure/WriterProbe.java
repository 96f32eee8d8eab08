package dev.filesink.azure;

import dev.filesink.azure.writer.AzureBlobRecoverableWriter;
import org.apache.flink.core.fs.RecoverableWriter;

/** Reads the Azure writer's memory and upload counters in tests. */
final class WriterProbe {

    private WriterProbe() {}

    static long bufferedBytes(RecoverableWriter writer) {
        return ((dev.filesink.azure.writer.AzureBlobRecoverableWriter) writer).bufferedBytes();
    }

    static int uploadsInFlight(RecoverableWriter writer) {
        return ((dev.filesink.azure.writer.AzureBlobRecoverableWriter) writer).uploadsInFlight();
    }
}
