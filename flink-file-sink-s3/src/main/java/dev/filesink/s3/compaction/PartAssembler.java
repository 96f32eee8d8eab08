package dev.filesink.s3.compaction;

import dev.filesink.s3.S3Destination;
import dev.filesink.s3.S3Location;
import dev.filesink.s3.client.S3Operations;
import dev.filesink.s3.commit.CopyRanges;
import dev.filesink.s3.commit.HiddenObjects;
import dev.filesink.s3.writer.S3Recoverable;
import dev.filesink.s3.writer.UploadedPart;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Lays out the parts of a concatenation. S3 copies ranges of at least 5 MiB in the store ({@code UploadPartCopy}),
 * but every part but the last must be at least 5 MiB, so:
 *
 * <ul>
 *   <li>inputs under 5 MiB and delimiters are gathered here (downloaded; a small file's content comes from its state)
 *       and uploaded as parts once the gathered bytes reach the part size, and at the end;
 *   <li>an input of at least 5 MiB is copied in the store; if bytes are gathered before it, less than 5 MiB, the head
 *       of the input is downloaded to fill them up to a 5 MiB part first, and the rest is copied if it is at least
 *       5 MiB, else gathered as well.
 * </ul>
 *
 * <p>So at most 5 MiB per input of at least 5 MiB passes through this process, plus the small inputs and delimiters.
 */
final class PartAssembler {

    private static final long MIN_PART = S3Destination.MIN_PART_SIZE;
    private static final int MAX_PARTS = 10_000;

    private final S3Operations operations;
    private final S3Location output;
    private final String uploadId;
    private final long partSize;
    private final List<UploadedPart> parts = new ArrayList<>();
    private final ByteArrayOutputStream gathered = new ByteArrayOutputStream();
    private long bytesDownloaded;
    private long bytesUploaded;

    PartAssembler(S3Operations operations, S3Location output, String uploadId, long partSize) {
        this.operations = operations;
        this.output = output;
        this.uploadId = uploadId;
        this.partSize = partSize;
    }

    void append(S3Recoverable file) throws IOException {
        long length = file.length();
        if (HiddenObjects.carriesItsContent(file)) {
            gather(file.inlineTail());
            return;
        }
        if (length < MIN_PART) {
            if (length > 0) {
                download(file, 0, length);
            }
            return;
        }
        long offset = 0;
        if (gathered.size() >= MIN_PART) {
            uploadGathered();
        } else if (gathered.size() > 0) {
            offset = MIN_PART - gathered.size();
            download(file, 0, offset);
            if (gathered.size() > 0) { // else the download filled a part and it went already
                uploadGathered();
            }
        }
        long rest = length - offset;
        if (rest >= MIN_PART) {
            for (CopyRanges.Range range : CopyRanges.of(offset, rest)) {
                int number = nextNumber();
                String etag = operations.uploadPartCopy(output.bucket(), file.key(), range.first(), range.last(),
                        output.key(), uploadId, number);
                parts.add(new UploadedPart(number, etag, range.length()));
            }
        } else if (rest > 0) {
            download(file, offset, rest);
        }
    }

    /** Bytes that are not in the store (a delimiter, a small file's content). */
    void gather(byte[] bytes) throws IOException {
        gathered.write(bytes);
        uploadIfFull();
    }

    /** Uploads what is gathered as the last part (an empty part if the output would have none at all). */
    void finish() throws IOException {
        if (gathered.size() > 0 || parts.isEmpty()) {
            uploadGathered();
        }
    }

    List<UploadedPart> parts() {
        return parts;
    }

    long bytesDownloaded() {
        return bytesDownloaded;
    }

    long bytesUploaded() {
        return bytesUploaded;
    }

    private void download(S3Recoverable file, long offset, long length) throws IOException {
        byte[] bytes = operations.getRange(file.bucket(), file.key(), offset, offset + length - 1);
        if (bytes.length != length) {
            throw new IOException("Reading bytes " + offset + ".." + (offset + length - 1) + " of s3://" + file.bucket()
                    + '/' + file.key() + " returned " + bytes.length + " bytes");
        }
        bytesDownloaded += length;
        gathered.write(bytes);
        uploadIfFull();
    }

    private void uploadIfFull() throws IOException {
        if (gathered.size() >= partSize) {
            uploadGathered();
        }
    }

    private void uploadGathered() throws IOException {
        byte[] bytes = gathered.toByteArray();
        gathered.reset();
        int number = nextNumber();
        String etag = operations.uploadPart(output.bucket(), output.key(), uploadId, number,
                () -> new ByteArrayInputStream(bytes), bytes.length);
        bytesUploaded += bytes.length;
        parts.add(new UploadedPart(number, etag, bytes.length));
    }

    private int nextNumber() throws IOException {
        if (parts.size() >= MAX_PARTS) {
            throw new IOException("Compacting into " + output + " needs more than " + MAX_PARTS + " parts; lower the "
                    + "compaction's size threshold or raise the part size");
        }
        return parts.size() + 1;
    }
}
