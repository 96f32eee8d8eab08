package dev.filesink.s3;

import dev.filesink.s3.client.S3Errors;
import dev.filesink.s3.client.S3Operations;
import dev.filesink.storage.objectstore.ObjectsWrittenOnce;

import org.apache.flink.core.fs.Path;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.Map;
import java.util.Optional;

/**
 * Small objects written once (success files, checkpoint manifests): one {@code PutObject} with
 * {@code If-None-Match: *}, so S3 stores it whole or not at all and answers 412 instead of replacing an existing
 * object.
 *
 * <p>The token that recognizes a retried PUT of this very call: {@link ObjectsWrittenOnce}.
 *
 * <p>With {@code conditional-writes = false} the write looks first ({@code HeadObject}) and puts only if nothing is
 * there: a writer creating the same key in between is overwritten, as for part file commits (docs/s3.md).
 */
final class S3SmallFiles extends ObjectsWrittenOnce<S3Location> {

    private static final Logger LOG = LoggerFactory.getLogger(S3SmallFiles.class);

    /** Attempts of a PUT that S3 refused because another conditional write to the key was in flight. */
    private static final int MAX_CONFLICT_RETRIES = 5;

    private final S3Operations operations;
    private final S3Destination destination;

    S3SmallFiles(S3Operations operations, S3Destination destination) {
        this.operations = operations;
        this.destination = destination;
    }

    @Override
    protected boolean putIfAbsent(S3Location location, byte[] content, String token) throws IOException {
        boolean conditional = destination.conditionalWrites();
        if (!conditional && operations.head(location.bucket(), location.key()).isPresent()) {
            return false;
        }
        for (int attempt = 1; ; attempt++) {
            try {
                operations.putFinal(location.bucket(), location.key(), content, token, conditional);
                return true;
            } catch (S3Errors.PreconditionFailedException e) {
                return false;
            } catch (IOException e) {
                // S3 answers 409 ConditionalRequestConflict to a conditional write racing another one at the key and
                // asks for a retry, which then sees the winner (412) or succeeds.
                if (!isConditionalConflict(e) || attempt >= MAX_CONFLICT_RETRIES) {
                    throw e;
                }
                LOG.debug("Conditional write of {} met a concurrent one; retrying", location);
                pause(attempt);
            }
        }
    }

    private static boolean isConditionalConflict(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof S3Exception s3 && s3.statusCode() == 409 && s3.awsErrorDetails() != null
                    && "ConditionalRequestConflict".equals(s3.awsErrorDetails().errorCode())) {
                return true;
            }
        }
        return false;
    }

    private static void pause(int attempt) throws InterruptedIOException {
        try {
            Thread.sleep(50L * attempt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("Interrupted while retrying a conditional write");
        }
    }

    @Override
    protected Optional<Map<String, String>> metadataOf(S3Location location) throws IOException {
        Optional<HeadObjectResponse> existing = operations.head(location.bucket(), location.key());
        return existing.map(HeadObjectResponse::metadata);
    }

    @Override
    protected String tokenMetadataKey() {
        return S3Operations.UPLOAD_TOKEN_METADATA;
    }

    @Override
    protected String describe(S3Location location) {
        return location.toString();
    }

    @Override
    public Optional<byte[]> read(Path path) throws IOException {
        S3Location location = locate(path);
        try {
            return Optional.of(operations.get(location.bucket(), location.key()));
        } catch (FileNotFoundException e) {
            if (isMissingBucket(e)) {
                throw new FileNotFoundException("Cannot read " + location + ": the bucket '" + location.bucket()
                        + "' does not exist");
            }
            return Optional.empty();
        }
    }

    private static boolean isMissingBucket(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof S3Exception s3 && s3.awsErrorDetails() != null
                    && "NoSuchBucket".equals(s3.awsErrorDetails().errorCode())) {
                return true;
            }
        }
        return false;
    }

    @Override
    protected S3Location locate(Path path) throws IOException {
        try {
            S3Location location = S3Location.of(path);
            if (!location.key().isEmpty()) {
                return location;
            }
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
        throw new IOException("S3 path '" + path + "' names a bucket, not an object");
    }
}
