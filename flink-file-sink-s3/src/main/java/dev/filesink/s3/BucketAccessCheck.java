package dev.filesink.s3;

import dev.filesink.s3.client.S3Errors;
import dev.filesink.s3.client.S3Operations;
import dev.filesink.s3.writer.StagingLayout;

import java.io.ByteArrayInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;

/**
 * The check at job start: the bucket exists and the sink may write below its base path. The sink never creates the
 * bucket; a missing one, or credentials that are refused, fail the job with an error that says so.
 */
final class BucketAccessCheck {

    private final S3Operations operations;
    private final S3Location base;
    private final StagingLayout staging;
    private final S3Destination destination;

    BucketAccessCheck(S3Operations operations, S3Location base, StagingLayout staging, S3Destination destination) {
        this.operations = operations;
        this.base = base;
        this.staging = staging;
        this.destination = destination;
    }

    void run() throws IOException {
        String where = "S3 bucket '" + base.bucket() + "'"
                + (destination.endpoint() != null ? " at " + destination.endpoint() : "");
        try {
            operations.headBucket(base.bucket());
        } catch (FileNotFoundException e) {
            throw new IOException(where + " does not exist. The sink never creates buckets: create it (with a "
                    + "lifecycle rule that aborts incomplete multipart uploads) or fix the base path " + base, e);
        } catch (S3Errors.AccessDeniedException e) {
            throw new IOException("Access to " + where + " was denied (" + destination.credentials() + "): check the "
                    + "credentials and that they allow s3:ListBucket on the bucket", e);
        } catch (IOException | RuntimeException e) {
            throw new IOException("Cannot reach " + where + ": " + e.getMessage(), e);
        }
        String probe = staging.probeKey();
        try {
            operations.putStaging(base.bucket(), probe, () -> new ByteArrayInputStream(new byte[0]), 0);
            operations.delete(base.bucket(), probe);
        } catch (S3Errors.AccessDeniedException e) {
            throw new IOException("The sink may not write below " + base + " (" + destination.credentials()
                    + "): check that the credentials allow s3:PutObject and s3:DeleteObject there", e);
        } catch (IOException | RuntimeException e) {
            throw new IOException("Cannot write below " + base + ": " + e.getMessage(), e);
        }
    }
}
