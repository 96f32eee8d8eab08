package dev.filesink.azure.compaction;

import dev.filesink.azure.writer.BlockList;
import dev.filesink.azure.writer.AzureBlobRecoverableWriter;
import dev.filesink.azure.writer.AzureBlobRecoverable;
import dev.filesink.azure.client.AzureBlobErrors;
import dev.filesink.azure.AzureBlobLocation;
import dev.filesink.storage.ServerSideConcatenation;

import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobRange;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.options.BlockBlobStageBlockFromUrlOptions;
import com.azure.storage.blob.specialized.BlockBlobClient;

import org.apache.flink.core.fs.Path;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Builds a compaction output from pending part files in the store: each input is finished at its hidden name (Put
 * Block List), then the output's blocks are staged under the output's own hidden name with Put Block From URL,
 * ranges of at most 100 MiB of the inputs, and delimiters as small Put Block calls. The output is a pending file like
 * any other, committed by {@link HiddenFileCommitter}.
 *
 * <p>A service that does not implement Put Block From URL (Azurite answers 501) is remembered, and the ranges are
 * downloaded and staged through the task manager instead, which then counts them as bytes through the task manager.
 */
public final class AzureBlobConcatenation implements ServerSideConcatenation {

    private static final Logger LOG = LoggerFactory.getLogger(AzureBlobConcatenation.class);

    /** The most Put Block From URL copies in one block. */
    static final long MAX_BLOCK_FROM_URL = 100L * 1024 * 1024;
    /** Blocks of the download fallback: what the task manager holds at once. */
    static final int FALLBACK_BLOCK = 4 * 1024 * 1024;

    private final AzureBlobRecoverableWriter writer;
    private final AtomicBoolean blockFromUrlUnsupported = new AtomicBoolean();

    public AzureBlobConcatenation(AzureBlobRecoverableWriter writer) {
        this.writer = writer;
    }

    @Override
    public Optional<ConcatenatedFile> concatenate(Path target, List<ConcatenationInput> inputs, @Nullable byte[] delimiter)
            throws IOException {
        AzureBlobLocation location = writer.locate(target);
        int blockCount = 0;
        for (ConcatenationInput input : inputs) {
            AzureBlobRecoverable file = AzureBlobRecoverable.resolve(input.pendingFile());
            if (file.hiddenName() == null
                    || !file.container().equals(location.container()) || file.length() != input.size()) {
                // Written without compaction (before a savepoint switched it on): committed as it is.
                return Optional.empty();
            }
            blockCount += (int) ((input.size() + MAX_BLOCK_FROM_URL - 1) / MAX_BLOCK_FROM_URL);
            blockCount += delimiter == null ? 0 : 1;
        }
        if (blockCount > writer.maxBlocksPerBlob()) {
            return Optional.empty();
        }
        for (ConcatenationInput input : inputs) {
            writer.finishAtHiddenName(AzureBlobRecoverable.resolve(input.pendingFile()));
        }
        BlobContainerClient container = writer.container(location.container());
        String hiddenName = AzureBlobRecoverableWriter.hiddenNameFor(location.blobName());
        BlockBlobClient output = container.getBlobClient(hiddenName).getBlockBlobClient();
        String incarnation = BlockList.newIncarnation();
        BlockList blocks = BlockList.empty();
        long size = 0;
        long throughTaskManager = 0;
        for (ConcatenationInput input : inputs) {
            AzureBlobRecoverable file = AzureBlobRecoverable.resolve(input.pendingFile());
            BlobClient source = container.getBlobClient(file.hiddenName());
            for (long offset = 0; offset < input.size(); offset += MAX_BLOCK_FROM_URL) {
                long length = Math.min(MAX_BLOCK_FROM_URL, input.size() - offset);
                String blockId = BlockList.encode(incarnation, blocks.size());
                if (copyRange(source, new BlobRange(offset, length), output, blockId, file)) {
                    blocks = blocks.append(incarnation);
                    continue;
                }
                for (long part = offset; part < offset + length; part += FALLBACK_BLOCK) {
                    if (blocks.size() >= writer.maxBlocksPerBlob()) {
                        throw new IOException("Cannot compact into '" + target + "': staged from downloads, it "
                                + "would pass " + writer.maxBlocksPerBlob() + " blocks");
                    }
                    int partLength = (int) Math.min(FALLBACK_BLOCK, offset + length - part);
                    byte[] bytes = download(source, new BlobRange(part, (long) partLength), file.describe());
                    stage(output, BlockList.encode(incarnation, blocks.size()), bytes, "stage a block of " + hiddenName);
                    blocks = blocks.append(incarnation);
                    // Downloaded and uploaded again.
                    throughTaskManager += 2L * partLength;
                }
            }
            size += input.size();
            if (delimiter != null) {
                stage(output, BlockList.encode(incarnation, blocks.size()), delimiter, "a delimiter of " + hiddenName);
                blocks = blocks.append(incarnation);
                size += delimiter.length;
                throughTaskManager += delimiter.length;
            }
        }
        AzureBlobRecoverable pending = new AzureBlobRecoverable(location.container(), location.blobName(), hiddenName,
                blocks, size);
        return Optional.of(new ConcatenatedFile(pending, size, throughTaskManager));
    }

    /** Whether Put Block From URL turned out to be unsupported by the service (tests, docs). */
    public boolean fellBackToDownloads() {
        return blockFromUrlUnsupported.get();
    }

    /**
     * Copies one range of an input into a block of the output in the service; false if the service cannot (then
     * nothing was staged).
     */
    private boolean copyRange(BlobClient source, BlobRange range, BlockBlobClient output, String blockId,
            AzureBlobRecoverable file) throws IOException {
        String action = "copy bytes " + range.getOffset() + "+" + range.getCount() + " of " + file.describe()
                + " into the compaction output '" + output.getBlobName() + "'";
        if (!blockFromUrlUnsupported.get()) {
            try {
                output.stageBlockFromUrlWithResponse(
                        new BlockBlobStageBlockFromUrlOptions(blockId, writer.copySources().forBlockFromUrl(source))
                                .setSourceRange(range)
                                .setSourceAuthorization(writer.copySources().sourceAuthorization()),
                        null, Context.NONE);
                return true;
            } catch (BlobStorageException e) {
                if (e.getStatusCode() != 501) {
                    throw writer.errors().translate(action, e);
                }
                if (blockFromUrlUnsupported.compareAndSet(false, true)) {
                    LOG.info("The Blob service does not implement Put Block From URL (an emulator?): compaction "
                            + "outputs are staged from downloads through the task manager instead");
                }
            } catch (RuntimeException e) {
                AzureBlobErrors.rethrowIfInterrupted(e);
                throw writer.errors().translate(action, e);
            }
        }
        return false;
    }

    private byte[] download(BlobClient source, BlobRange range, String what) throws IOException {
        String action = "download bytes " + range.getOffset() + "+" + range.getCount() + " of " + what;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream((int) (long) range.getCount());
        try {
            source.downloadStreamWithResponse(bytes, range, null, null, false, null, Context.NONE);
        } catch (RuntimeException e) {
            AzureBlobErrors.rethrowIfInterrupted(e);
            throw writer.errors().translate(action, e);
        }
        if (bytes.size() != range.getCount()) {
            throw new IOException("Cannot " + action + ": read " + bytes.size() + " bytes");
        }
        return bytes.toByteArray();
    }

    private void stage(BlockBlobClient output, String blockId, byte[] bytes, String action) throws IOException {
        try {
            output.stageBlock(blockId, BinaryData.fromBytes(bytes));
        } catch (RuntimeException e) {
            AzureBlobErrors.rethrowIfInterrupted(e);
            throw writer.errors().translate(action, e);
        }
    }
}
