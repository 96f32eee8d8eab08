package dev.filesink.s3.compaction;

import dev.filesink.s3.S3Destination;
import dev.filesink.s3.S3Location;
import dev.filesink.s3.client.S3Operations;
import dev.filesink.s3.commit.HiddenObjects;
import dev.filesink.s3.writer.S3Recoverable;
import dev.filesink.s3.writer.StagingLayout;
import dev.filesink.storage.ServerSideConcatenation;

import org.apache.flink.core.fs.Path;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Concatenation in the store: each input is finished under its hidden name, then the output is built as a multipart
 * upload at its final key, from {@code UploadPartCopy} ranges of the inputs where S3 allows it and from parts
 * gathered here where it does not ({@link PartAssembler}). The upload stays open, invisible, until the committer
 * completes it like any part file's ({@code If-None-Match: *}, recognized by its token on replay); a failed attempt's
 * upload is aborted by name ({@code discardInProgress}) or as an orphan.
 */
public final class S3Concatenation implements ServerSideConcatenation {

    private static final Logger LOG = LoggerFactory.getLogger(S3Concatenation.class);

    private final S3Operations operations;
    private final S3Destination destination;
    private final HiddenObjects hidden;

    public S3Concatenation(S3Operations operations, S3Destination destination, HiddenObjects hidden) {
        this.operations = operations;
        this.destination = destination;
        this.hidden = hidden;
    }

    @Override
    public Optional<ConcatenatedFile> concatenate(Path target, List<ConcatenationInput> inputs,
            @Nullable byte[] delimiter) throws IOException {
        List<S3Recoverable> files = new ArrayList<>(inputs.size());
        for (ConcatenationInput input : inputs) {
            S3Recoverable file = S3Recoverable.resolve(input.pendingFile());
            if (!file.isHidden()) {
                // Written at its final key (by a sink that did not compact): not readable before its commit.
                return Optional.empty();
            }
            if (file.length() != input.size()) {
                throw new IOException("Pending part file " + file + " has " + file.length() + " bytes, not the "
                        + input.size() + " it was closed with");
            }
            files.add(file);
        }
        long finishing = 0;
        for (S3Recoverable file : files) {
            if (!HiddenObjects.carriesItsContent(file)) {
                long bytes = HiddenObjects.bytesToFinish(file);
                if (!hidden.finish(file)) {
                    finishing += bytes;
                }
            }
        }
        S3Location output = S3Location.of(target);
        String token = StagingLayout.newToken();
        String uploadId = operations.createUpload(output.bucket(), output.key(), token);
        try {
            PartAssembler parts = new PartAssembler(operations, output, uploadId, destination.partSize());
            long length = 0;
            for (S3Recoverable file : files) {
                parts.append(file);
                length += file.length();
                if (delimiter != null) {
                    parts.gather(delimiter);
                    length += delimiter.length;
                }
            }
            parts.finish();
            S3Recoverable concatenated = new S3Recoverable(output.bucket(), output.key(), uploadId, token,
                    parts.parts(), null, null, 0, length, false);
            return Optional.of(new ConcatenatedFile(
                    concatenated, length, finishing + parts.bytesDownloaded() + parts.bytesUploaded()));
        } catch (IOException | RuntimeException e) {
            try {
                operations.abort(output.bucket(), output.key(), uploadId);
            } catch (IOException | RuntimeException abortFailure) {
                LOG.warn("Could not abort the upload {} of the failed compaction into {}: {}", uploadId, output,
                        abortFailure.toString());
                e.addSuppressed(abortFailure);
            }
            throw e;
        }
    }
}
