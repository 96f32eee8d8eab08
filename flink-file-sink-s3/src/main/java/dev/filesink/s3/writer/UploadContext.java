package dev.filesink.s3.writer;

import dev.filesink.s3.S3Destination;
import dev.filesink.s3.client.S3Operations;
import dev.filesink.storage.objectstore.BackgroundUploader;

import java.nio.file.Path;

/**
 * What all part files of one writer share: the S3 requests, the upload threads, the memory, the budget for data
 * carried in checkpoints, and the layout.
 */
public record UploadContext(
        S3Destination destination,
        S3Operations operations,
        BackgroundUploader uploader,
        BufferPool buffers,
        StateBudget stateBudget,
        Path spillDirectory,
        StagingLayout staging) {

    PartBuffer newBuffer() {
        return new PartBuffer(buffers, spillDirectory);
    }
}
