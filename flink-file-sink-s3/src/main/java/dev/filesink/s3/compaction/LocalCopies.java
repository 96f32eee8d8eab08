package dev.filesink.s3.compaction;

import dev.filesink.s3.client.S3Operations;
import dev.filesink.s3.commit.HiddenObjects;
import dev.filesink.s3.writer.S3Recoverable;
import dev.filesink.storage.CompactionSource;

import org.apache.flink.core.fs.Path;

import java.io.IOException;
import java.nio.file.Files;

/**
 * Pending files made readable for compactors that read records or bytes themselves: finished under their hidden
 * name, then downloaded to a local temporary file that closing the source deletes. A small file whose content is
 * in its state is written out from there, without a request.
 */
public final class LocalCopies {

    private final S3Operations operations;
    private final HiddenObjects hidden;
    private final java.nio.file.Path directory;

    public LocalCopies(S3Operations operations, HiddenObjects hidden, java.nio.file.Path directory) {
        this.operations = operations;
        this.hidden = hidden;
        this.directory = directory;
    }

    public CompactionSource copyOf(S3Recoverable file, long size) throws IOException {
        if (file.length() != size) {
            throw new IOException("Pending part file " + file + " has " + file.length() + " bytes, not the " + size
                    + " it was closed with");
        }
        Files.createDirectories(directory);
        java.nio.file.Path local = Files.createTempFile(directory, "filesink-compaction-", ".part");
        try {
            long fetched = 0;
            if (HiddenObjects.carriesItsContent(file)) {
                Files.write(local, file.inlineTail());
            } else {
                hidden.finish(file);
                fetched = operations.download(file.bucket(), file.key(), local);
                if (fetched != size) {
                    throw new IOException("Pending part file s3://" + file.bucket() + '/' + file.key() + " has "
                            + fetched + " bytes in S3, not the " + size + " it was closed with");
                }
            }
            return new LocalCopy(local, fetched);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(local);
            throw e;
        }
    }

    private record LocalCopy(java.nio.file.Path local, long bytesFetched) implements CompactionSource {

        @Override
        public Path path() {
            return new Path(local.toUri());
        }

        @Override
        public void close() throws IOException {
            Files.deleteIfExists(local);
        }
    }
}
