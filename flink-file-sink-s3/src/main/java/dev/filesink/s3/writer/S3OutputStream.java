package dev.filesink.s3.writer;

import dev.filesink.s3.S3Destination;
import dev.filesink.s3.S3Location;
import dev.filesink.storage.objectstore.BackgroundUploader;
import dev.filesink.storage.objectstore.PendingRecoverable;

import org.apache.flink.core.fs.RecoverableFsDataOutputStream;
import org.apache.flink.core.fs.RecoverableWriter;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * An in-progress part file on S3: a multipart upload whose parts upload in the background as they fill.
 *
 * <ul>
 *   <li>{@link #persist()} makes the data so far durable: the tail (less than 5 MiB) in the state when small, else
 *       as a staging object; a tail of 5 MiB or more simply becomes a part. It returns at once with a
 *       {@link PendingRecoverable} that the checkpoint's serializer waits for, so the staging requests of many open
 *       files run side by side.
 *   <li>{@link #closeForCommit()} hands the last part to the uploader and returns at once, likewise. A small file
 *       that never started an upload (at most the single-PUT limit, within the writer's {@link StateBudget}) needs
 *       no upload at all: its content travels in the checkpoint and the commit is one conditional PUT.
 *   <li>{@link #close()} only releases memory: the upload stays, as a checkpoint may still resume it; uploads of
 *       abandoned files are aborted by the next attempt's orphan cleanup.
 * </ul>
 */
final class S3OutputStream extends RecoverableFsDataOutputStream {

    /** S3 allows at most this many parts per upload. */
    static final int MAX_PARTS = 10_000;

    private final UploadContext context;
    private final S3Location location;
    /** Where the file becomes visible if it is written under a hidden name ({@code location}), else null. */
    private final String finalKey;
    private final String token;
    private final UploadHandle upload;
    private final long partSize;
    private final int inlineTailLimit;
    private final long singlePutLimit;
    private final List<CompletableFuture<UploadedPart>> parts = new ArrayList<>();
    private final byte[] single = new byte[1];

    private int nextPartNumber;
    private PartBuffer current;
    private long position;
    private long persistSequence = System.currentTimeMillis() * 1000;
    private boolean closed;
    private boolean startRequested;
    /** The early start of the upload, if one was requested; a persist waits for it so its state names the upload. */
    private CompletableFuture<?> earlyStart = CompletableFuture.completedFuture(null);
    private volatile Throwable uploadFailure;

    private S3OutputStream(UploadContext context, S3Location location, String finalKey, String token,
            String uploadId, List<UploadedPart> uploaded, long position) {
        S3Destination destination = context.destination();
        this.context = context;
        this.location = location;
        this.finalKey = finalKey;
        this.token = token;
        this.upload = new UploadHandle(location.bucket(), location.key(), token, uploadId);
        this.partSize = destination.partSize();
        this.inlineTailLimit = destination.inlineTailLimit();
        this.singlePutLimit = destination.singlePutLimit();
        for (UploadedPart part : uploaded) {
            parts.add(CompletableFuture.completedFuture(part));
        }
        this.nextPartNumber = uploaded.isEmpty() ? 1 : uploaded.get(uploaded.size() - 1).number() + 1;
        this.startRequested = uploadId != null;
        this.current = context.newBuffer();
        this.position = position;
    }

    static S3OutputStream open(UploadContext context, S3Location location) {
        return new S3OutputStream(context, location, null, StagingLayout.newToken(), null, List.of(), 0);
    }

    /**
     * Opens a file under the hidden name {@code .<final name>.inprogress.<token>} next to {@code target}, where a
     * compaction can finish, read and copy it without a reader seeing it; its commit copies it to {@code target}.
     */
    static S3OutputStream openHidden(UploadContext context, S3Location target) {
        String token = StagingLayout.newToken();
        S3Location hidden = new S3Location(target.bucket(), HiddenKeys.hiddenKey(target.key(), token));
        return new S3OutputStream(context, hidden, target.key(), token, null, List.of(), 0);
    }

    /** Continues a persisted part file: the same upload, with the tail read back into the buffer. */
    static S3OutputStream resume(UploadContext context, S3Recoverable state, byte[] tail) throws IOException {
        S3OutputStream stream = new S3OutputStream(context, new S3Location(state.bucket(), state.key()),
                state.finalKey(), state.token(),
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
        if (!startRequested && position > singlePutLimit) {
            startUploadEarly();
        }
    }

    /**
     * The file has outgrown a single PUT, so it will be a multipart upload: start it now, in the background, so that
     * closing the file at a checkpoint only has to upload the last part.
     */
    private void startUploadEarly() throws IOException {
        startRequested = true;
        if (upload.uploadId() == null) {
            // A failure here is not final: the first part's upload starts the upload again and reports it.
            earlyStart = context.uploader().submitRequest(() -> upload.ensureStarted(context.operations()), null)
                    .exceptionally(failure -> null);
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
            // Big enough to be a part: S3 keeps it, no staging needed.
            submitClosing(current);
            current = context.newBuffer();
        }
        List<CompletableFuture<UploadedPart>> uploads = new ArrayList<>(parts);
        long tailLength = current.size();
        long length = position;
        StateBudget.Reservation reservation = null;
        if (tailLength > 0 && tailLength <= inlineTailLimit) {
            reservation = context.stateBudget().tryReserve(tailLength);
        }
        CompletableFuture<String> staged;
        byte[] inline = null;
        if (tailLength == 0) {
            staged = CompletableFuture.completedFuture(null);
        } else if (reservation != null) {
            inline = current.toByteArray();
            staged = CompletableFuture.completedFuture(null);
        } else {
            // The staging PUT runs in the background on a copy, as the file goes on being written: a checkpoint
            // with many open files stages their tails at once instead of one after the other.
            String stagingKey = context.staging().tailKey(location.key(), token, ++persistSequence);
            PartBuffer tail = current.copy();
            staged = context.uploader().submitRequest(() -> {
                context.operations().putStaging(location.bucket(), stagingKey, tail.body(), tailLength);
                return stagingKey;
            }, tail::release);
        }
        byte[] inlineTail = inline;
        CompletableFuture<S3Recoverable> durable = allOf(uploads, CompletableFuture.allOf(staged, earlyStart))
                .thenApply(ignored -> new S3Recoverable(location.bucket(), location.key(), upload.uploadId(), token,
                        joined(uploads), inlineTail, staged.join(), tailLength, length, true, finalKey));
        return pending(durable, reservation);
    }

    @Override
    public Committer closeForCommit() throws IOException {
        ensureOpen();
        closed = true;
        long length = position;
        // Not under a hidden name (a compacting sink): its pending files wait in the compaction's state for many
        // checkpoints, where carried content would grow that state with every small file instead of being bounded
        // by the writer's state budget.
        if (finalKey == null && parts.isEmpty() && upload.uploadId() == null && length <= singlePutLimit) {
            StateBudget.Reservation reservation = context.stateBudget().tryReserve(length);
            if (reservation != null) {
                // Small: the content travels in the checkpoint and is committed with one PUT; no upload at all.
                byte[] content = current.toByteArray();
                current.release();
                current = null;
                return new S3PartCommitter(context, pending(CompletableFuture.completedFuture(new S3Recoverable(
                        location.bucket(), location.key(), null, token, List.of(), content, null, content.length,
                        length, false, finalKey)), reservation));
            }
        }
        if (current.size() > 0 || parts.isEmpty()) {
            submitClosing(current);
        } else {
            current.release();
        }
        current = null;
        List<CompletableFuture<UploadedPart>> all = new ArrayList<>(parts);
        CompletableFuture<S3Recoverable> uploaded = allOf(all, CompletableFuture.completedFuture(null))
                .thenApply(ignored -> new S3Recoverable(location.bucket(), location.key(), upload.uploadId(), token,
                        joined(all), null, null, 0, length, false, finalKey));
        return new S3PartCommitter(context, pending(uploaded, null));
    }

    private PendingRecoverable<S3Recoverable> pending(
            CompletableFuture<S3Recoverable> durable, StateBudget.Reservation reservation) {
        return new PendingRecoverable<>(location.toString(), durable, reservation == null ? null : reservation::release);
    }

    private static CompletableFuture<Void> allOf(List<CompletableFuture<UploadedPart>> uploads, CompletableFuture<?> other) {
        CompletableFuture<?>[] all = uploads.toArray(new CompletableFuture<?>[uploads.size() + 1]);
        all[uploads.size()] = other;
        return CompletableFuture.allOf(all);
    }

    private static List<UploadedPart> joined(List<CompletableFuture<UploadedPart>> uploads) {
        return uploads.stream().map(CompletableFuture::join).toList();
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
        submit(full, false);
    }

    /** The last part of a closing file or a part made at a checkpoint: never blocks the writer. */
    private void submitClosing(PartBuffer buffer) throws IOException {
        submit(buffer, true);
    }

    private void submit(PartBuffer buffer, boolean closing) throws IOException {
        if (nextPartNumber > MAX_PARTS) {
            buffer.release();
            throw new IOException("Part file " + location + " needs more than " + MAX_PARTS + " parts; roll part "
                    + "files earlier or raise the part size (now " + partSize + " bytes)");
        }
        buffer.seal();
        int number = nextPartNumber++;
        long size = buffer.size();
        BackgroundUploader.Upload<UploadedPart> request = () -> {
            String uploadId = upload.ensureStarted(context.operations());
            String etag = context.operations().uploadPart(
                    location.bucket(), location.key(), uploadId, number, buffer.body(), size);
            return new UploadedPart(number, etag, size);
        };
        CompletableFuture<UploadedPart> part = closing
                ? context.uploader().submitRequest(request, buffer::release)
                : context.uploader().submit(request, buffer::release);
        part.whenComplete((done, failure) -> {
            if (failure != null) {
                uploadFailure = failure;
            }
        });
        parts.add(part);
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
