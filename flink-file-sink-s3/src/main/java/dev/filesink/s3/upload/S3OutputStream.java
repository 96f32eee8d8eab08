package dev.filesink.s3.upload;

import dev.filesink.s3.S3Destination;
import dev.filesink.s3.S3Location;

import org.apache.flink.core.fs.RecoverableFsDataOutputStream;
import org.apache.flink.core.fs.RecoverableWriter;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * An in-progress part file on S3: a multipart upload whose parts upload in the background as they fill.
 *
 * <ul>
 *   <li>{@link #persist()} waits for this file's uploads and makes the tail (less than 5 MiB) durable, in the state
 *       when small, else as a staging object; a tail of 5 MiB or more simply becomes a part.
 *   <li>{@link #closeForCommit()} hands the last part to the uploader and returns at once; the returned
 *       {@link PendingCommit} is awaited when the checkpoint is serialized or the file committed. A small file
 *       that never started an upload is committed in a single PUT from the state.
 *   <li>{@link #close()} only releases memory: the upload stays, as a checkpoint may still resume it; uploads of
 *       abandoned files are aborted by the next attempt's orphan cleanup.
 * </ul>
 */
final class S3OutputStream extends RecoverableFsDataOutputStream {

    /** S3 allows at most this many parts per upload. */
    static final int MAX_PARTS = 10_000;

    private final UploadContext context;
    private final S3Location location;
    private final String token;
    private final UploadHandle upload;
    private final long partSize;
    private final int inlineTailLimit;
    private final List<CompletableFuture<UploadedPart>> parts = new ArrayList<>();
    private final byte[] single = new byte[1];

    private int nextPartNumber;
    private PartBuffer current;
    private long position;
    private long persistSequence = System.currentTimeMillis() * 1000;
    private boolean closed;
    private volatile Throwable uploadFailure;

    private S3OutputStream(UploadContext context, S3Location location, String token, String uploadId,
            List<UploadedPart> uploaded, long position) {
        S3Destination destination = context.destination();
        this.context = context;
        this.location = location;
        this.token = token;
        this.upload = new UploadHandle(location.bucket(), location.key(), token, uploadId);
        this.partSize = destination.partSize();
        this.inlineTailLimit = destination.inlineTailLimit();
        for (UploadedPart part : uploaded) {
            parts.add(CompletableFuture.completedFuture(part));
        }
        this.nextPartNumber = uploaded.isEmpty() ? 1 : uploaded.get(uploaded.size() - 1).number() + 1;
        this.current = context.newBuffer();
        this.position = position;
    }

    static S3OutputStream open(UploadContext context, S3Location location) {
        return new S3OutputStream(context, location, StagingLayout.newToken(), null, List.of(), 0);
    }

    /** Continues a persisted part file: the same upload, with the tail read back into the buffer. */
    static S3OutputStream resume(UploadContext context, S3Recoverable state, byte[] tail) throws IOException {
        S3OutputStream stream = new S3OutputStream(context, new S3Location(state.bucket(), state.key()), state.token(),
                state.uploadId(), state.parts(), state.length() - state.tailLength());
        if (tail.length > 0) {
            stream.write(tail, 0, tail.length);
        }
        return stream;
    }

    @Override
    public void write(int b) throws IOException {
        single[0] = (byte) b;
        write(single, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        ensureOpen();
        while (length > 0) {
            int n = (int) Math.min(length, partSize - current.size());
            current.write(bytes, offset, n);
            position += n;
            offset += n;
            length -= n;
            if (current.size() == partSize) {
                uploadCurrentAsPart();
            }
        }
    }

    @Override
    public long getPos() {
        return position;
    }

    @Override
    public void flush() throws IOException {
        ensureOpen();
    }

    @Override
    public void sync() throws IOException {
        ensureOpen();
    }

    @Override
    public RecoverableWriter.ResumeRecoverable persist() throws IOException {
        ensureOpen();
        if (current.size() >= S3Destination.MIN_PART_SIZE) {
            uploadCurrentAsPart();
        }
        List<UploadedPart> uploaded = awaitParts();
        long tailLength = current.size();
        byte[] inline = null;
        String stagingKey = null;
        if (tailLength > 0 && tailLength <= inlineTailLimit) {
            inline = current.toByteArray();
        } else if (tailLength > 0) {
            stagingKey = context.staging().tailKey(location.key(), token, ++persistSequence);
            context.operations().putStaging(location.bucket(), stagingKey, current.body(), tailLength);
        }
        return new S3Recoverable(location.bucket(), location.key(), upload.uploadId(), token, uploaded, inline,
                stagingKey, tailLength, position);
    }

    @Override
    public Committer closeForCommit() throws IOException {
        ensureOpen();
        closed = true;
        if (parts.isEmpty() && upload.uploadId() == null && current.size() <= inlineTailLimit) {
            // Small enough for the state: committed later in a single PUT, no upload needed.
            byte[] content = current.toByteArray();
            current.release();
            current = null;
            return new S3PartCommitter(context, new S3Recoverable(location.bucket(), location.key(), null, token,
                    List.of(), content, null, content.length, position));
        }
        if (current.size() > 0 || parts.isEmpty()) {
            submit(current);
        } else {
            current.release();
        }
        current = null;
        List<CompletableFuture<UploadedPart>> all = new ArrayList<>(parts);
        long length = position;
        CompletableFuture<S3Recoverable> uploaded = CompletableFuture.allOf(all.toArray(new CompletableFuture[0]))
                .thenApply(ignored -> new S3Recoverable(location.bucket(), location.key(), upload.uploadId(), token,
                        all.stream().map(CompletableFuture::join).toList(), null, null, 0, length));
        return new S3PartCommitter(context, new PendingCommit(location.toString(), uploaded));
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            if (current != null) {
                current.release();
                current = null;
            }
        }
    }

    private void uploadCurrentAsPart() throws IOException {
        PartBuffer full = current;
        current = context.newBuffer();
        submit(full);
    }

    private void submit(PartBuffer buffer) throws IOException {
        if (nextPartNumber > MAX_PARTS) {
            buffer.release();
            throw new IOException("Part file " + location + " needs more than " + MAX_PARTS + " parts; roll part "
                    + "files earlier or raise the part size (now " + partSize + " bytes)");
        }
        buffer.seal();
        int number = nextPartNumber++;
        long size = buffer.size();
        CompletableFuture<UploadedPart> part = context.uploader().submit(buffer, () -> {
            String uploadId = upload.ensureStarted(context.operations());
            String etag = context.operations().uploadPart(
                    location.bucket(), location.key(), uploadId, number, buffer.body(), size);
            return new UploadedPart(number, etag, size);
        });
        part.whenComplete((done, failure) -> {
            if (failure != null) {
                uploadFailure = failure;
            }
        });
        parts.add(part);
    }

    private List<UploadedPart> awaitParts() throws IOException {
        List<UploadedPart> uploaded = new ArrayList<>(parts.size());
        for (CompletableFuture<UploadedPart> part : parts) {
            try {
                uploaded.add(part.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("Interrupted while waiting for uploads of " + location);
            } catch (ExecutionException e) {
                throw failed(e.getCause());
            }
        }
        return uploaded;
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("Part file " + location + " is closed");
        }
        Throwable failure = uploadFailure;
        if (failure != null) {
            throw failed(failure);
        }
    }

    private IOException failed(Throwable cause) {
        return new IOException("Uploading part file " + location + " failed: " + cause.getMessage(), cause);
    }
}
