package dev.filesink.s3.testing;

import org.gaul.s3proxy.S3ErrorCode;
import org.gaul.s3proxy.S3ProxyException;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.blobstore.domain.MultipartUpload;

import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

import java.io.InputStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An s3proxy store that loses responses on purpose: a completion or PUT that succeeds but answers 500 (as if the
 * response was lost), after which the retried request answers 412 because the object now exists, as S3 does. It can
 * also fail PUTs, and hold uploads (parts, PUTs, upload creation) until released, to see who waits for them.
 */
public final class FaultyBlobStore extends ForwardingBlobStore {

    private final AtomicInteger completionsToLose = new AtomicInteger();
    private final AtomicInteger lost = new AtomicInteger();
    private volatile String answer412ForKey;
    private final AtomicInteger putsToFail = new AtomicInteger();
    private final AtomicInteger failedPuts = new AtomicInteger();
    private volatile String putFailureMarker;

    private final AtomicInteger putResponsesToLose = new AtomicInteger();
    private volatile String putLossMarker;
    private volatile CountDownLatch hold;
    private volatile String holdMarker;
    private final AtomicInteger held = new AtomicInteger();

    public FaultyBlobStore(BlobStore delegate) {
        super(delegate);
    }

    /** The next {@code count} PUTs of keys containing {@code marker} are stored but answer 500. */
    public void losePutResponses(String marker, int count) {
        putLossMarker = marker;
        putResponsesToLose.set(count);
    }

    /** From now on, uploads to keys containing {@code marker} wait until {@link #releaseUploads()}. */
    public void holdUploads(String marker) {
        held.set(0);
        holdMarker = marker;
        hold = new CountDownLatch(1);
    }

    public void releaseUploads() {
        CountDownLatch latch = hold;
        hold = null;
        if (latch != null) {
            latch.countDown();
        }
    }

    /** Requests that waited (or are waiting) in {@link #holdUploads}. */
    public int heldUploads() {
        return held.get();
    }

    private void maybeHold(String key) {
        CountDownLatch latch = hold;
        String marker = holdMarker;
        if (latch != null && marker != null && key.contains(marker)) {
            held.incrementAndGet();
            try {
                if (!latch.await(60, TimeUnit.SECONDS)) {
                    throw new S3ProxyException(S3ErrorCode.INTERNAL_ERROR, "held too long");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new S3ProxyException(S3ErrorCode.INTERNAL_ERROR, "interrupted");
            }
        }
    }

    @Override
    public MultipartUpload initiateMultipartUpload(CreateMultipartUploadRequest request) {
        maybeHold(request.key());
        return super.initiateMultipartUpload(request);
    }

    @Override
    public UploadPartResponse uploadMultipartPart(MultipartUpload upload, UploadPartRequest request, InputStream content) {
        maybeHold(request.key());
        return super.uploadMultipartPart(upload, request, content);
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
        maybeHold(request.key());
        PutObjectResponse response = super.putBlob(request, content);
        String lossMarker = putLossMarker;
        if (lossMarker != null && request.key().contains(lossMarker)
                && putResponsesToLose.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            lost.incrementAndGet();
            throw new S3ProxyException(S3ErrorCode.INTERNAL_ERROR, "response lost on purpose");
        }
        return response;
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
