package dev.filesink.s3.takeover;

import dev.filesink.s3.client.S3Errors;
import dev.filesink.s3.client.S3Operations;
import dev.filesink.s3.writer.S3Recoverable;
import dev.filesink.s3.writer.UploadedPart;

import software.amazon.awssdk.services.s3.model.Part;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Turns the state Flink's S3 file system persisted for a part file into ours: the same multipart upload, which our
 * writer continues and our committer completes, with Flink's tail object as the staged tail.
 *
 * <p>What Flink's state lacks is filled in: the bucket is the storage's (Flink stores only the key), each part's
 * size comes from S3's ListParts, and the token (which our uploads carry as metadata to recognize their own earlier
 * commits) is derived from the upload id, so every restore of the same state gets the same one. Flink's uploads carry
 * no token: an earlier commit of theirs is recognized by the multipart ETag of their parts instead.
 */
final class FlinkS3StateConverter {

    /** The size of a part whose upload is gone (already completed, or aborted): unknown and not needed to commit. */
    static final long UNKNOWN_SIZE = -1;

    private final S3Operations operations;
    private final String bucket;

    FlinkS3StateConverter(S3Operations operations, String bucket) {
        this.operations = operations;
        this.bucket = bucket;
    }

    S3Recoverable convert(FlinkS3Recoverable flink) throws IOException {
        Map<Integer, Long> sizes = partSizes(flink);
        List<UploadedPart> parts = new ArrayList<>(flink.parts().size());
        long listed = 0;
        for (FlinkS3Recoverable.Part part : flink.parts()) {
            long size = sizes.getOrDefault(part.number(), UNKNOWN_SIZE);
            parts.add(new UploadedPart(part.number(), part.etag(), size));
            listed = size < 0 || listed < 0 ? UNKNOWN_SIZE : listed + size;
        }
        if (listed >= 0 && listed != flink.bytesInParts()) {
            throw new IOException("Cannot take over Flink's part file s3://" + bucket + '/' + flink.key() + ": its"
                    + " multipart upload " + flink.uploadId() + " holds " + listed + " bytes in the parts Flink's"
                    + " state names, the state records " + flink.bytesInParts());
        }
        // Not "from a persist" in our sense: its tail object is Flink's, outside our staging prefix, so the commit
        // deletes exactly the one the state names (Flink's other tails go before the commit, see
        // FlinkStateTakeoverWriter.beforeCommit).
        return new S3Recoverable(bucket, flink.key(), flink.uploadId(), tokenOf(flink.uploadId()), parts, null,
                flink.tailObjectKey(), flink.tailLength(), flink.length(), false);
    }

    /** The sizes of the upload's parts, or none if the upload no longer exists. */
    private Map<Integer, Long> partSizes(FlinkS3Recoverable flink) throws IOException {
        Map<Integer, Long> sizes = new HashMap<>();
        if (flink.parts().isEmpty()) {
            return sizes;
        }
        try {
            for (Part part : operations.listParts(bucket, flink.key(), flink.uploadId())) {
                sizes.put(part.partNumber(), part.size());
            }
        } catch (S3Errors.NoSuchUploadException e) {
            // Completed by an earlier commit, or aborted: a commit finds out which, a resume fails clearly.
        }
        return sizes;
    }

    /** A token of 32 hex digits, like our own, that is the same for every restore of the upload. */
    static String tokenOf(String uploadId) {
        try {
            byte[] digest = MessageDigest.getInstance("MD5").digest(
                    ("flink-s3-upload:" + uploadId).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is not available", e);
        }
    }
}
