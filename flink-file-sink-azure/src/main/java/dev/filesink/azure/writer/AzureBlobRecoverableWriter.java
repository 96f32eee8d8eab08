package dev.filesink.azure.writer;

import dev.filesink.azure.commit.CopySources;
import dev.filesink.azure.commit.HiddenFileCommitter;
import dev.filesink.azure.commit.AzureBlobCommitter;
import dev.filesink.azure.AzureBlobDestination;
import dev.filesink.azure.client.AzureBlobErrors;
import dev.filesink.azure.AzureBlobLocation;
import dev.filesink.storage.CommitOutcome;
import dev.filesink.storage.InProgressNames;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.models.Block;
import com.azure.storage.blob.models.BlockList;
import com.azure.storage.blob.models.BlockListType;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.specialized.BlockBlobClient;

import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.RecoverableFsDataOutputStream;
import org.apache.flink.core.fs.RecoverableWriter;
import org.apache.flink.core.io.SimpleVersionedSerializer;

import java.io.Closeable;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Flink's {@link RecoverableWriter} on block blobs: part files are staged block by block, persisted as block lists,
 * resumed by staging further blocks, and committed with Put Block List. There is nothing to clean up: blocks that
 * are never committed expire on their own.
 *
 * <p>For a compacting sink ({@code hiddenInProgress}) part files are staged under a hidden name next to their final
 * one ({@link InProgressNames}) and committed by {@link HiddenFileCommitter}. Every writer commits both kinds, so
 * compaction can be switched on or off through a savepoint.
 */
public final class AzureBlobRecoverableWriter implements RecoverableWriter, Closeable {

    /** How long a commit waits for the server-side copy from the hidden to the final name. */
    private static final Duration COPY_TIMEOUT = Duration.ofMinutes(10);

    private final Supplier<BlobServiceClient> service;
    private final AzureBlobLocation base;
    private final AzureBlobDestination destination;
    private final AzureBlobErrors errors;
    private final AzureBlobCommitter committer;
    private final HiddenFileCommitter hiddenCommitter;
    private final CopySources copySources;
    private final boolean hiddenInProgress;
    private final Map<String, BlobContainerClient> containers = new ConcurrentHashMap<>();
    private volatile BlockStager stager;

    public AzureBlobRecoverableWriter(
            Supplier<BlobServiceClient> service, AzureBlobLocation base, AzureBlobDestination destination, AzureBlobErrors errors) {
        this(service, base, destination, errors, false);
    }

    /** @param hiddenInProgress whether new part files are staged under a hidden name (a compacting sink) */
    public AzureBlobRecoverableWriter(Supplier<BlobServiceClient> service, AzureBlobLocation base,
            AzureBlobDestination destination, AzureBlobErrors errors, boolean hiddenInProgress) {
        this.service = service;
        this.base = base;
        this.destination = destination;
        this.errors = errors;
        this.hiddenInProgress = hiddenInProgress;
        this.committer = new AzureBlobCommitter(errors);
        this.copySources = new CopySources(destination);
        this.hiddenCommitter = new HiddenFileCommitter(committer, copySources, errors, COPY_TIMEOUT);
    }

    @Override
    public RecoverableFsDataOutputStream open(Path target) throws IOException {
        AzureBlobLocation location = locate(target);
        if (location.blobName().isEmpty()) {
            throw new IOException("Cannot write a part file at '" + target + "': it names no blob below the container");
        }
        String hiddenName = hiddenInProgress ? hiddenNameFor(location.blobName()) : null;
        return stream(location.container(), location.blobName(), hiddenName, dev.filesink.azure.writer.BlockList.empty(), 0);
    }

    @Override
    public RecoverableFsDataOutputStream recover(ResumeRecoverable resumable) throws IOException {
        AzureBlobRecoverable file = AzureBlobRecoverable.resolve(resumable);
        checkBlocksStillStaged(file);
        return stream(file.container(), file.blobName(), file.hiddenName(), file.blocks(), file.length());
    }

    @Override
    public boolean requiresCleanupOfRecoverableState() {
        return false;
    }

    @Override
    public boolean cleanupRecoverableState(ResumeRecoverable resumable) {
        return false;
    }

    @Override
    public RecoverableFsDataOutputStream.Committer recoverForCommit(CommitRecoverable recoverable) {
        return new PendingBlob(recoverable);
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public SimpleVersionedSerializer<CommitRecoverable> getCommitRecoverableSerializer() {
        return (SimpleVersionedSerializer) AzureBlobRecoverableSerializer.INSTANCE;
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public SimpleVersionedSerializer<ResumeRecoverable> getResumeRecoverableSerializer() {
        return (SimpleVersionedSerializer) AzureBlobRecoverableSerializer.INSTANCE;
    }

    @Override
    public boolean supportsResume() {
        return true;
    }

    /** Commits a pending part file; see {@link AzureBlobCommitter} and {@link HiddenFileCommitter}. */
    /** Commits a pending part file at {@code target}, which must be where it was written for. */
    public CommitOutcome commitAt(Path target, AzureBlobRecoverable file, long expectedSize) throws IOException {
        AzureBlobLocation location = locate(target);
        if (!location.container().equals(file.container()) || !location.blobName().equals(file.blobName())) {
            throw new IOException("Cannot commit '" + target + "': the pending file was written as " + file.describe());
        }
        return commit(file, expectedSize);
    }

    public CommitOutcome commit(AzureBlobRecoverable file, long expectedSize) throws IOException {
        return file.hiddenName() == null
                ? committer.commit(container(file.container()), file, expectedSize)
                : hiddenCommitter.commit(container(file.container()), file, expectedSize);
    }

    /**
     * Makes a pending file staged under a hidden name readable there (Put Block List at the hidden name), still
     * invisible to readers. Idempotent.
     */
    public void finishAtHiddenName(AzureBlobRecoverable file) throws IOException {
        if (file.hiddenName() == null) {
            throw new IOException("Cannot finish " + file.describe() + " before its commit: it has no hidden name");
        }
        hiddenCommitter.finishAtHiddenName(container(file.container()), file, file.length());
    }

    /** Whether new part files are staged under hidden names. */
    public boolean hiddenInProgress() {
        return hiddenInProgress;
    }

    public CopySources copySources() {
        return copySources;
    }

    public AzureBlobErrors errors() {
        return errors;
    }

    public int maxBlocksPerBlob() {
        return destination.maxBlocksPerBlob();
    }

    /** A fresh hidden name in the same directory as {@code blobName}. */
    public static String hiddenNameFor(String blobName) {
        int slash = blobName.lastIndexOf('/');
        String directory = blobName.substring(0, slash + 1);
        return directory + InProgressNames.hiddenName(blobName.substring(slash + 1), UUID.randomUUID().toString());
    }

    public BlobContainerClient container(String name) {
        return containers.computeIfAbsent(name, n -> service.get().getBlobContainerClient(n));
    }

    /** Where a target path lies; it must be in the base path's account. */
    public AzureBlobLocation locate(Path target) throws IOException {
        AzureBlobLocation location;
        try {
            location = AzureBlobLocation.of(target);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
        if (!location.account().equals(base.account())) {
            throw new IOException("Part file '" + target + "' is not in the sink's account '" + base.account() + "'");
        }
        return location;
    }

    /** Bytes buffered in open part files and not yet staged (metrics, tests). */
    public long bufferedBytes() {
        BlockStager current = stager;
        return current == null ? 0 : current.bufferedBytes();
    }

    /** Blocks being uploaded right now (metrics, tests). */
    public int uploadsInFlight() {
        BlockStager current = stager;
        return current == null ? 0 : current.uploadsInFlight();
    }

    @Override
    public void close() {
        BlockStager current = stager;
        if (current != null) {
            current.close();
        }
    }

    private AzureBlobOutputStream stream(String container, String blobName, String hiddenName,
            dev.filesink.azure.writer.BlockList blocks, long length) {
        String stagedName = hiddenName != null ? hiddenName : blobName;
        BlockBlobClient blob = container(container).getBlobClient(stagedName).getBlockBlobClient();
        return new AzureBlobOutputStream(blob, container, blobName, hiddenName, stager(), PendingBlob::new,
                destination.blockSize(), destination.maxBlocksPerBlob(), blocks, length);
    }

    /** The upload threads start with the first part file: sessions that only serialize state never need them. */
    private BlockStager stager() {
        BlockStager current = stager;
        if (current == null) {
            synchronized (this) {
                if (stager == null) {
                    stager = new BlockStager(destination.uploadsInFlight(), destination.maxBufferedBytes(), errors);
                }
                current = stager;
            }
        }
        return current;
    }

    /** A resumed part file must still have its persisted blocks; fail clearly now rather than at commit. */
    private void checkBlocksStillStaged(AzureBlobRecoverable file) throws IOException {
        if (file.blocks().size() == 0) {
            return;
        }
        BlockBlobClient blob = container(file.container()).getBlobClient(file.stagedBlobName()).getBlockBlobClient();
        Set<String> staged = new HashSet<>();
        try {
            BlockList list = blob.listBlocks(BlockListType.ALL);
            list.getUncommittedBlocks().stream().map(Block::getName).forEach(staged::add);
        } catch (BlobStorageException e) {
            if (e.getStatusCode() != 404) {
                throw errors.translate("list the staged blocks of " + file.describe(), e);
            }
        } catch (RuntimeException e) {
            throw errors.translate("list the staged blocks of " + file.describe(), e);
        }
        List<String> persisted = file.blocks().ids();
        if (!staged.containsAll(persisted)) {
            throw new FileNotFoundException("Cannot resume in-progress part file " + file.describe() + ": "
                    + persisted.stream().filter(id -> !staged.contains(id)).count() + " of its persisted blocks are "
                    + "gone (uncommitted blocks expire 7 days after the blob was last written, or the blob was deleted)");
        }
    }

    /** A part file closed for commit (or restored for commit); its blocks may still be uploading. */
    private final class PendingBlob implements RecoverableFsDataOutputStream.Committer {

        private final CommitRecoverable recoverable;

        PendingBlob(CommitRecoverable recoverable) {
            this.recoverable = recoverable;
        }

        @Override
        public void commit() throws IOException {
            AzureBlobRecoverable file = AzureBlobRecoverable.resolve(recoverable);
            if (AzureBlobRecoverableWriter.this.commit(file, file.length()) != CommitOutcome.COMMITTED) {
                throw new IOException("Cannot commit " + file.describe() + ": it was committed before");
            }
        }

        @Override
        public void commitAfterRecovery() throws IOException {
            AzureBlobRecoverable file = AzureBlobRecoverable.resolve(recoverable);
            AzureBlobRecoverableWriter.this.commit(file, file.length());
        }

        @Override
        public CommitRecoverable getRecoverable() {
            return recoverable;
        }
    }
}
