package dev.filesink.s3.writer;

import dev.filesink.storage.LengthAwareRecoverable;
import dev.filesink.storage.objectstore.PendingRecoverable;

import org.apache.flink.core.fs.RecoverableWriter;

import javax.annotation.Nullable;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/**
 * The durable state of an S3 part file: the multipart upload (if one was started) with its acknowledged parts, and
 * the tail that is not a part yet, either inline or as a staging object. Resumable (a writer continues the same
 * upload) and committable (the tail becomes the last part, or the whole object when there is no upload).
 *
 * @param bucket the bucket
 * @param key the final object's key
 * @param uploadId the multipart upload, or null if none was started (the whole file is the tail)
 * @param token a random id of this part file, stored as metadata on the final object
 * @param parts the acknowledged parts, by ascending number
 * @param inlineTail the tail's bytes when kept in the state, else null
 * @param stagingKey the key of the staging object holding the tail, else null
 * @param tailLength bytes in the tail
 * @param length bytes in the whole file
 * @param fromPersist made by {@code persist()} (the state of an in-progress file), not by {@code closeForCommit()}:
 *     committed as such only when a restored writer takes over a file it cannot resume, and then earlier persists
 *     of the same file may have left staging objects that nobody else knows about
 * @param finalKey where the file becomes visible when it is written under a hidden name ({@code key} is then
 *     {@code .<final name>.inprogress.<token>} in the same folder, see {@code InProgressNames}), else null: the file is
 *     written at its final key
 */
public record S3Recoverable(
        String bucket,
        String key,
        @Nullable String uploadId,
        String token,
        List<UploadedPart> parts,
        @Nullable byte[] inlineTail,
        @Nullable String stagingKey,
        long tailLength,
        long length,
        boolean fromPersist,
        @Nullable String finalKey)
        implements RecoverableWriter.ResumeRecoverable, RecoverableWriter.CommitRecoverable, LengthAwareRecoverable {

    public S3Recoverable {
        parts = List.copyOf(parts);
    }

    /** The durable state of any recoverable of the S3 writer, waiting for its uploads if they still run. */
    public static S3Recoverable resolve(Object recoverable) throws IOException {
        return PendingRecoverable.resolve(recoverable, S3Recoverable.class, "S3");
    }

    /** A file written at its final key. */
    public S3Recoverable(String bucket, String key, @Nullable String uploadId, String token, List<UploadedPart> parts,
            @Nullable byte[] inlineTail, @Nullable String stagingKey, long tailLength, long length,
            boolean fromPersist) {
        this(bucket, key, uploadId, token, parts, inlineTail, stagingKey, tailLength, length, fromPersist, null);
    }

    /** Whether the file is written under a hidden name and copied to its final key by its commit. */
    public boolean isHidden() {
        return finalKey != null;
    }

    /** The key where the file becomes visible. */
    public String targetKey() {
        return finalKey != null ? finalKey : key;
    }

    /** The same file's state at another key (the hidden object as a file of its own), without the final key. */
    public S3Recoverable atItsOwnKey() {
        return new S3Recoverable(bucket, key, uploadId, token, parts, inlineTail, stagingKey, tailLength, length,
                fromPersist, null);
    }

    @Override
    public long persistedLength() {
        return length;
    }

    public boolean hasUpload() {
        return uploadId != null;
    }

    public boolean hasTail() {
        return tailLength > 0;
    }

    /** The number the next part gets. */
    public int nextPartNumber() {
        return parts.isEmpty() ? 1 : parts.get(parts.size() - 1).number() + 1;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof S3Recoverable)) {
            return false;
        }
        S3Recoverable that = (S3Recoverable) o;
        return tailLength == that.tailLength && length == that.length && fromPersist == that.fromPersist
                && bucket.equals(that.bucket)
                && key.equals(that.key) && java.util.Objects.equals(uploadId, that.uploadId) && token.equals(that.token)
                && parts.equals(that.parts) && Arrays.equals(inlineTail, that.inlineTail)
                && java.util.Objects.equals(stagingKey, that.stagingKey)
                && java.util.Objects.equals(finalKey, that.finalKey);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(key, uploadId, token, length);
    }

    @Override
    public String toString() {
        return "S3Recoverable{s3://" + bucket + '/' + key + ", upload=" + uploadId + ", parts=" + parts.size()
                + ", tail=" + tailLength + (inlineTail != null ? " inline" : stagingKey != null ? " at " + stagingKey : "")
                + ", length=" + length + (finalKey != null ? ", final key " + finalKey : "") + '}';
    }
}
