package dev.filesink.s3.testing;

import org.gaul.s3proxy.S3ErrorCode;
import org.gaul.s3proxy.S3ProxyException;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.blobstore.domain.MultipartUpload;

import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;

import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

import java.io.InputStream;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An s3proxy store that loses responses on purpose: a completion that succeeds but answers 500 (as if the response
 * was lost), after which the retried completion answers 412 because the object now exists, as S3 does.
 */
public final class FaultyBlobStore extends ForwardingBlobStore {

    private final AtomicInteger completionsToLose = new AtomicInteger();
    private final AtomicInteger lost = new AtomicInteger();
    private volatile String answer412ForKey;
    private final AtomicInteger putsToFail = new AtomicInteger();
    private final AtomicInteger failedPuts = new AtomicInteger();
    private volatile String putFailureMarker;

    public FaultyBlobStore(BlobStore delegate) {
        super(delegate);
    }

    /** The next completions succeed but answer 500; each retry then answers 412. */
    public void loseCompletionResponses(int count) {
        completionsToLose.set(count);
    }

    /** The next {@code count} PUTs of keys containing {@code marker} fail with 500 (e.g. staged tails). */
    public void failPuts(String marker, int count) {
        putFailureMarker = marker;
        putsToFail.set(count);
    }

    public int failedPuts() {
        return failedPuts.get();
    }

    @Override
    public PutObjectResponse putBlob(PutObjectRequest request, InputStream content) {
        String marker = putFailureMarker;
        if (marker != null && request.key().contains(marker) && putsToFail.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            failedPuts.incrementAndGet();
            throw new S3ProxyException(S3ErrorCode.INTERNAL_ERROR, "put failed on purpose");
        }
        return super.putBlob(request, content);
    }

    public int lostResponses() {
        return lost.get();
    }

    @Override
    public CompleteMultipartUploadResponse completeMultipartUpload(
            MultipartUpload upload, CompleteMultipartUploadRequest request) {
        if (request.key().equals(answer412ForKey)) {
            answer412ForKey = null;
            throw new S3ProxyException(S3ErrorCode.PRECONDITION_FAILED);
        }
        CompleteMultipartUploadResponse response = super.completeMultipartUpload(upload, request);
        if (completionsToLose.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            lost.incrementAndGet();
            answer412ForKey = request.ifNoneMatch() != null ? request.key() : null;
            throw new S3ProxyException(S3ErrorCode.INTERNAL_ERROR, "response lost on purpose");
        }
        return response;
    }
}
