package dev.filesink.s3.client;

import dev.filesink.s3.S3Destination;
import dev.filesink.s3.config.ServerSideEncryption;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsRequest;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.Part;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Object;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The S3 requests the sink makes, with the destination's encryption and storage class applied, and failures
 * translated by {@link S3Errors}. The SDK retries transient failures itself (see the destination's retry options).
 *
 * <p>The client is created on first use: sessions that only serialize state never connect.
 */
public final class S3Operations implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(S3Operations.class);

    /** User metadata on every committed object: the random token of the upload that wrote it. */
    public static final String UPLOAD_TOKEN_METADATA = "filesink-upload-token";

    private final S3Destination destination;
    private final int connections;
    private volatile S3Client client;
    private boolean closed;

    public S3Operations(S3Destination destination, int connections) {
        this.destination = destination;
        this.connections = connections;
    }

    /** For tests and tools that bring their own client. */
    public S3Operations(S3Destination destination, S3Client client) {
        this.destination = destination;
        this.connections = 0;
        this.client = client;
    }

    public S3Destination destination() {
        return destination;
    }

    private S3Client client() {
        S3Client result = client;
        if (result == null) {
            synchronized (this) {
                if (closed) {
                    throw new IllegalStateException("The S3 session is closed");
                }
                if (client == null) {
                    client = S3ClientFactory.create(destination, connections);
                }
                result = client;
            }
        }
        return result;
    }

    public void headBucket(String bucket) throws IOException {
        try {
            client().headBucket(b -> b.bucket(bucket));
        } catch (SdkException e) {
            throw S3Errors.translate("Checking bucket", bucket, null, e);
        }
    }

    /** Starts a multipart upload; the token is stored as metadata to recognize the object later. */
    public String createUpload(String bucket, String key, String token) throws IOException {
        CreateMultipartUploadRequest.Builder request = CreateMultipartUploadRequest.builder()
                .bucket(bucket)
                .key(key)
                .metadata(Map.of(UPLOAD_TOKEN_METADATA, token));
        applyEncryption(request);
        if (destination.storageClass() != null) {
            request.storageClass(destination.storageClass());
        }
        AtomicInteger attempts = new AtomicInteger();
        request.overrideConfiguration(o -> o.putExecutionAttribute(AttemptCounter.ATTEMPTS, attempts));
        String uploadId;
        try {
            uploadId = client().createMultipartUpload(request.build()).uploadId();
        } catch (SdkException e) {
            throw S3Errors.translate("Starting a multipart upload to", bucket, key, e);
        }
        if (attempts.get() > 1) {
            abortOtherUploadsAt(bucket, key, uploadId);
        }
        return uploadId;
    }

    /**
     * After a retried start: an earlier attempt may have started an upload whose answer was lost. The key belongs to
     * a part file being opened right now, so every other upload at it is garbage (of that lost answer, or of a failed
     * attempt). Only space is at stake, so a failure here is logged, not thrown (a restart's orphan cleanup or the
     * bucket's lifecycle rule removes what stays).
     */
    private void abortOtherUploadsAt(String bucket, String key, String ours) {
        try {
            for (MultipartUpload upload : listUploads(bucket, key)) {
                if (upload.key().equals(key) && !upload.uploadId().equals(ours)) {
                    LOG.info("Aborting multipart upload {} of s3://{}/{}: started by a retried request", upload.uploadId(),
                            bucket, key);
                    abort(bucket, key, upload.uploadId());
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("Could not look for multipart uploads a retried start left at s3://{}/{}", bucket, key, e);
        }
    }

    /** Uploads one part and returns its ETag. The provider may be asked for its stream more than once (retries). */
    public String uploadPart(String bucket, String key, String uploadId, int partNumber, ContentStreamProvider body,
            long length) throws IOException {
        try {
            return client().uploadPart(
                    b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(partNumber).contentLength(length),
                    RequestBody.fromContentProvider(body, length, "application/octet-stream")).eTag();
        } catch (SdkException e) {
            throw S3Errors.translate("Uploading part " + partNumber + " of", bucket, key, e);
        }
    }

    /**
     * Completes a multipart upload, with {@code If-None-Match: *} when conditional writes are on.
     *
     * @return the ETag of the new object
     */
    public String complete(String bucket, String key, String uploadId, List<CompletedPart> parts, boolean ifNoneMatch)
            throws IOException {
        CompleteMultipartUploadRequest.Builder request = CompleteMultipartUploadRequest.builder()
                .bucket(bucket)
                .key(key)
                .uploadId(uploadId)
                .multipartUpload(m -> m.parts(parts));
        if (ifNoneMatch) {
            request.ifNoneMatch("*");
        }
        try {
            CompleteMultipartUploadResponse response = client().completeMultipartUpload(request.build());
            return response.eTag();
        } catch (SdkException e) {
            throw S3Errors.translate("Completing the multipart upload of", bucket, key, e);
        }
    }

    /** Writes a final object in one request (small part files), with {@code If-None-Match: *} when asked. */
    public String putFinal(String bucket, String key, byte[] content, String token, boolean ifNoneMatch)
            throws IOException {
        PutObjectRequest.Builder request = PutObjectRequest.builder()
                .bucket(bucket)
                .key(key)
                .contentLength((long) content.length)
                .metadata(Map.of(UPLOAD_TOKEN_METADATA, token));
        applyEncryption(request);
        if (destination.storageClass() != null) {
            request.storageClass(destination.storageClass());
        }
        if (ifNoneMatch) {
            request.ifNoneMatch("*");
        }
        try {
            return client().putObject(request.build(), RequestBody.fromBytes(content)).eTag();
        } catch (SdkException e) {
            throw S3Errors.translate("Writing", bucket, key, e);
        }
    }

    /** Writes a staging object (a persisted tail): encrypted like the data, in the default storage class. */
    public void putStaging(String bucket, String key, ContentStreamProvider body, long length) throws IOException {
        PutObjectRequest.Builder request = PutObjectRequest.builder().bucket(bucket).key(key).contentLength(length);
        applyEncryption(request);
        try {
            client().putObject(request.build(), RequestBody.fromContentProvider(body, length, "application/octet-stream"));
        } catch (SdkException e) {
            throw S3Errors.translate("Writing staging object", bucket, key, e);
        }
    }

    /**
     * Copies bytes {@code first..last} (inclusive) of an object in the store into a part of an upload
     * ({@code UploadPartCopy}), without them passing through this process.
     *
     * @return the part's ETag
     */
    public String uploadPartCopy(String bucket, String sourceKey, long first, long last, String key, String uploadId,
            int partNumber) throws IOException {
        try {
            return client().uploadPartCopy(b -> b.sourceBucket(bucket).sourceKey(sourceKey)
                            .copySourceRange("bytes=" + first + '-' + last)
                            .destinationBucket(bucket).destinationKey(key).uploadId(uploadId).partNumber(partNumber))
                    .copyPartResult().eTag();
        } catch (SdkException e) {
            throw S3Errors.translate("Copying part " + partNumber + " from s3://" + bucket + '/' + sourceKey + " into",
                    bucket, key, e);
        }
    }

    /** Bytes {@code first..last} (inclusive) of an object. */
    public byte[] getRange(String bucket, String key, long first, long last) throws IOException {
        try {
            return client().getObjectAsBytes(b -> b.bucket(bucket).key(key).range("bytes=" + first + '-' + last))
                    .asByteArray();
        } catch (SdkException e) {
            throw S3Errors.translate("Reading", bucket, key, e);
        }
    }

    /**
     * Downloads an object into a local file (replacing it).
     *
     * @return the bytes downloaded
     */
    public long download(String bucket, String key, java.nio.file.Path file) throws IOException {
        try (java.io.InputStream in = client().getObject(b -> b.bucket(bucket).key(key))) {
            return java.nio.file.Files.copy(in, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (SdkException e) {
            throw S3Errors.translate("Downloading", bucket, key, e);
        }
    }

    public byte[] get(String bucket, String key) throws IOException {
        try {
            return client().getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
        } catch (SdkException e) {
            throw S3Errors.translate("Reading", bucket, key, e);
        }
    }

    /** The object's metadata, or empty if there is none at the key. */
    public Optional<HeadObjectResponse> head(String bucket, String key) throws IOException {
        try {
            return Optional.of(client().headObject(b -> b.bucket(bucket).key(key)));
        } catch (SdkException e) {
            IOException translated = S3Errors.translate("Looking up", bucket, key, e);
            if (translated instanceof FileNotFoundException) {
                return Optional.empty();
            }
            throw translated;
        }
    }

    public void delete(String bucket, String key) throws IOException {
        try {
            client().deleteObject(b -> b.bucket(bucket).key(key));
        } catch (SdkException e) {
            IOException translated = S3Errors.translate("Deleting", bucket, key, e);
            if (!(translated instanceof FileNotFoundException)) {
                throw translated;
            }
        }
    }

    /** Aborts an upload; one that no longer exists is fine. */
    public void abort(String bucket, String key, String uploadId) throws IOException {
        try {
            client().abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
        } catch (SdkException e) {
            IOException translated = S3Errors.translate("Aborting the multipart upload of", bucket, key, e);
            if (!(translated instanceof FileNotFoundException)) {
                throw translated;
            }
        }
    }

    /** The parts an upload holds; throws {@link S3Errors.NoSuchUploadException} if it does not exist. */
    public List<Part> listParts(String bucket, String key, String uploadId) throws IOException {
        try {
            List<Part> parts = new ArrayList<>();
            client().listPartsPaginator(b -> b.bucket(bucket).key(key).uploadId(uploadId)).parts().forEach(parts::add);
            return parts;
        } catch (SdkException e) {
            throw S3Errors.translate("Listing the parts of the multipart upload of", bucket, key, e);
        }
    }

    /** Multipart uploads in progress below the prefix. */
    public List<MultipartUpload> listUploads(String bucket, String prefix) throws IOException {
        List<MultipartUpload> uploads = new ArrayList<>();
        String keyMarker = null;
        String uploadIdMarker = null;
        try {
            while (true) {
                ListMultipartUploadsRequest.Builder request = ListMultipartUploadsRequest.builder().bucket(bucket).prefix(prefix);
                if (keyMarker != null) {
                    request.keyMarker(keyMarker).uploadIdMarker(uploadIdMarker);
                }
                ListMultipartUploadsResponse response = client().listMultipartUploads(request.build());
                uploads.addAll(response.uploads());
                if (!Boolean.TRUE.equals(response.isTruncated()) || response.nextKeyMarker() == null) {
                    return uploads;
                }
                keyMarker = response.nextKeyMarker();
                uploadIdMarker = response.nextUploadIdMarker();
            }
        } catch (SdkException e) {
            throw S3Errors.translate("Listing multipart uploads in", bucket, prefix, e);
        }
    }

    /** Keys of the objects below the prefix. */
    public List<String> listKeys(String bucket, String prefix) throws IOException {
        try {
            List<String> keys = new ArrayList<>();
            for (S3Object object : client().listObjectsV2Paginator(
                    ListObjectsV2Request.builder().bucket(bucket).prefix(prefix).build()).contents()) {
                keys.add(object.key());
            }
            return keys;
        } catch (SdkException e) {
            throw S3Errors.translate("Listing objects in", bucket, prefix, e);
        }
    }

    private void applyEncryption(CreateMultipartUploadRequest.Builder request) {
        ServerSideEncryption sse = destination.serverSideEncryption();
        if (sse.kind() == ServerSideEncryption.Kind.SSE_S3) {
            request.serverSideEncryption(software.amazon.awssdk.services.s3.model.ServerSideEncryption.AES256);
        } else if (sse.kind() == ServerSideEncryption.Kind.SSE_KMS) {
            request.serverSideEncryption(software.amazon.awssdk.services.s3.model.ServerSideEncryption.AWS_KMS);
            if (sse.kmsKeyId() != null) {
                request.ssekmsKeyId(sse.kmsKeyId());
            }
        }
    }

    private void applyEncryption(PutObjectRequest.Builder request) {
        ServerSideEncryption sse = destination.serverSideEncryption();
        if (sse.kind() == ServerSideEncryption.Kind.SSE_S3) {
            request.serverSideEncryption(software.amazon.awssdk.services.s3.model.ServerSideEncryption.AES256);
        } else if (sse.kind() == ServerSideEncryption.Kind.SSE_KMS) {
            request.serverSideEncryption(software.amazon.awssdk.services.s3.model.ServerSideEncryption.AWS_KMS);
            if (sse.kmsKeyId() != null) {
                request.ssekmsKeyId(sse.kmsKeyId());
            }
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (client != null) {
            client.close();
            client = null;
        }
    }
}
