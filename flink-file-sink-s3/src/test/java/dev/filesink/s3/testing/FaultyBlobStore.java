package dev.filesink.s3.testing;

import org.gaul.s3proxy.S3ErrorCode;
import org.gaul.s3proxy.S3ProxyException;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.blobstore.domain.MultipartUpload;

import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * An s3proxy store that loses responses on purpose: a completion that succeeds but answers 500 (as if the response
 * was lost), after which the retried completion answers 412 because the object now exists, as S3 does.
 */
public final class FaultyBlobStore extends ForwardingBlobStore {

    private final AtomicInteger completionsToLose = new AtomicInteger();
    private final AtomicInteger lost = new AtomicInteger();
    private volatile String answer412ForKey;

    public FaultyBlobStore(BlobStore delegate) {
        super(delegate);
    }

    /** The next completions succeed but answer 500; each retry then answers 412. */
    public void loseCompletionResponses(int count) {
        completionsToLose.set(count);
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
