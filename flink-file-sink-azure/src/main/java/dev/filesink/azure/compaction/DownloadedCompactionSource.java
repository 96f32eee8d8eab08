package dev.filesink.azure.compaction;

import dev.filesink.azure.client.AzureBlobErrors;
import dev.filesink.azure.writer.AzureBlobRecoverable;
import dev.filesink.storage.CompactionSource;

import com.azure.storage.blob.BlobClient;

import org.apache.flink.core.fs.Path;

import java.io.IOException;
import java.nio.file.Files;

/** A pending part file finished at its hidden name and downloaded to the task manager's temp folder for a compaction. */
public final class DownloadedCompactionSource implements CompactionSource {

    private final java.nio.file.Path local;
    private final long bytes;

    private DownloadedCompactionSource(java.nio.file.Path local, long bytes) {
        this.local = local;
        this.bytes = bytes;
    }

    public static DownloadedCompactionSource download(BlobClient hidden, AzureBlobRecoverable file, AzureBlobErrors errors)
            throws IOException {
        java.nio.file.Path local = Files.createTempFile("filesink-azure-compaction-", ".part");
        try {
            hidden.downloadToFile(local.toString(), true);
            long size = Files.size(local);
            if (size != file.length()) {
                throw new IOException("Downloaded " + size + " bytes of " + file.describe());
            }
            return new DownloadedCompactionSource(local, size);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(local);
            if (e instanceof RuntimeException runtime) {
                AzureBlobErrors.rethrowIfInterrupted(runtime);
                throw errors.translate("download " + file.describe() + " for a compaction", runtime);
            }
            throw e;
        }
    }

    @Override
    public Path path() {
        return new Path(local.toUri());
    }

    @Override
    public long bytesFetched() {
        return bytes;
    }

    @Override
    public void close() throws IOException {
        Files.deleteIfExists(local);
    }
}
