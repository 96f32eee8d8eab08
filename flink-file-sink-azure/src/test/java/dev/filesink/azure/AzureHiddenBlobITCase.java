package dev.filesink.azure;

import dev.filesink.azure.testing.Azurite;
import dev.filesink.azure.writer.AzureBlobRecoverable;
import dev.filesink.azure.writer.AzureBlobRecoverableWriter;
import dev.filesink.azure.compaction.AzureBlobConcatenation;
import dev.filesink.azure.writer.BlockList;
import dev.filesink.storage.CommitConflictException;
import dev.filesink.storage.CommitOutcome;
import dev.filesink.storage.CompactionSource;
import dev.filesink.storage.ServerSideConcatenation;
import dev.filesink.storage.ServerSideConcatenation.ConcatenatedFile;
import dev.filesink.storage.ServerSideConcatenation.ConcatenationInput;
import dev.filesink.storage.StorageSession;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobListDetails;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.ListBlobsOptions;

import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.RecoverableFsDataOutputStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Part files under hidden names against Azurite: the commit (finish at the hidden name, copy, delete) replayed from
 * every intermediate state, commits across the compacting and the plain variant, reading a pending file for a
 * compaction, concatenating in the store, and discarding what a compaction left.
 */
class AzureHiddenBlobITCase {

    private static Azurite azurite;

    private String containerName;
    private BlobContainerClient container;
    private AzureBlobStorage plain;
    private StorageSession compacting;
    private AzureBlobRecoverableWriter writer;

    @BeforeAll
    static void startAzurite() throws IOException {
        azurite = Azurite.inMemory();
    }

    @AfterAll
    static void stopAzurite() {
        azurite.stop();
    }

    @BeforeEach
    void open() throws IOException {
        containerName = "hb" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
        container = azurite.createContainer(containerName);
        plain = AzureBlobStorage.of(AzureBlobDestination.builder().accountKey(Azurite.KEY).endpoint(azurite.endpoint())
                .blockSize(1024).build());
        compacting = plain.forCompaction().open(base());
        writer = (AzureBlobRecoverableWriter) compacting.recoverableWriter();
    }

    @AfterEach
    void close() throws IOException {
        compacting.close();
    }

    private Path base() {
        return new Path(azurite.abfsPath(containerName, "out"));
    }

    private Path target(String name) {
        return new Path(base(), "b/" + name);
    }

    @Test
    void aHiddenPartFileIsInvisibleUntilItsCommitAndLeavesNothingBehind() throws Exception {
        AzureBlobRecoverable file = write(writer, "part-0", 3000);
        assertThat(file.hiddenName()).matches("out/b/\\.part-0\\.inprogress\\.[0-9a-f-]{36}");
        assertThat(visible()).isEmpty();

        assertThat(compacting.commit(target("part-0"), file, file.length())).isEqualTo(CommitOutcome.COMMITTED);

        assertThat(visible()).containsOnlyKeys("out/b/part-0");
        assertThat(text("out/b/part-0")).isEqualTo(content("part-0", 3000));
        assertThat(allBlobs()).containsOnlyKeys("out/b/part-0");
    }

    @Test
    void aReplayedCommitCompletesFromEveryIntermediateState() throws Exception {
        // Finished at the hidden name, not copied.
        AzureBlobRecoverable finished = write(writer, "part-1", 2000);
        writer.finishAtHiddenName(finished);
        assertThat(compacting.commit(target("part-1"), finished, finished.length())).isEqualTo(CommitOutcome.COMMITTED);

        // Copied, the hidden blob not yet deleted.
        AzureBlobRecoverable copied = write(writer, "part-2", 2000);
        writer.finishAtHiddenName(copied);
        container.getBlobClient("out/b/part-2").copyFromUrl(container.getBlobClient(copied.hiddenName()).getBlobUrl());
        assertThat(compacting.commit(target("part-2"), copied, copied.length()))
                .isEqualTo(CommitOutcome.ALREADY_COMMITTED);

        // Done completely, committed again.
        assertThat(compacting.commit(target("part-2"), copied, copied.length()))
                .isEqualTo(CommitOutcome.ALREADY_COMMITTED);

        assertThat(allBlobs()).containsOnlyKeys("out/b/part-1", "out/b/part-2");
        assertThat(text("out/b/part-1")).isEqualTo(content("part-1", 2000));
        assertThat(text("out/b/part-2")).isEqualTo(content("part-2", 2000));
    }

    @Test
    void aCopyOfItsHiddenBlobIsRecognizedEvenWhereTheServiceWouldNotKeepTheBlockIds() throws Exception {
        AzureBlobRecoverable file = write(writer, "part-9", 2000);
        writer.finishAtHiddenName(file);
        container.getBlobClient("out/b/part-9").beginCopy(
                container.getBlobClient(file.hiddenName()).getBlobUrl(), null).waitForCompletion();
        // The same hidden blob and length, other block ids: only the copy's recorded source can tell it is ours.
        BlockList otherIds = BlockList.empty();
        for (int i = 0; i < file.blocks().size(); i++) {
            otherIds = otherIds.append("00000000000000000000000000000000");
        }
        AzureBlobRecoverable sameHiddenBlob = new AzureBlobRecoverable(
                file.container(), file.blobName(), file.hiddenName(), otherIds, file.length());

        assertThat(compacting.commit(target("part-9"), sameHiddenBlob, file.length()))
                .isEqualTo(CommitOutcome.ALREADY_COMMITTED);
        assertThat(allBlobs()).containsOnlyKeys("out/b/part-9");
    }

    @Test
    void aBlobItDidNotWriteIsAConflictAndStaysUnchanged() throws Exception {
        AzureBlobRecoverable file = write(writer, "part-3", 2000);
        container.getBlobClient("out/b/part-3").upload(BinaryData.fromString("someone else's"));
        writer.finishAtHiddenName(file);
        // Also when the copy itself finds the final name taken.
        assertThatThrownBy(() -> compacting.commit(target("part-3"), file, file.length()))
                .isInstanceOf(CommitConflictException.class);
        assertThat(text("out/b/part-3")).isEqualTo("someone else's");
    }

    @Test
    void aPendingFileWhoseDataIsGoneFailsLoudly() throws Exception {
        AzureBlobRecoverable file = write(writer, "part-4", 2000);
        compacting.discardCompactedInput(file);
        assertThatThrownBy(() -> compacting.commit(target("part-4"), file, file.length()))
                .isInstanceOf(FileNotFoundException.class);
        assertThat(allBlobs()).isEmpty();
    }

    @Test
    void eachVariantCommitsTheOthersPendingFiles() throws Exception {
        // Compaction switched off through a savepoint: the plain storage commits a hidden part file, and back.
        AzureBlobRecoverable hidden = write(writer, "part-5", 1500);
        try (StorageSession plainSession = plain.open(base())) {
            AzureBlobRecoverable unhidden = write((AzureBlobRecoverableWriter) plainSession.recoverableWriter(), "part-6", 1500);
            assertThat(unhidden.hiddenName()).isNull();
            assertThat(plainSession.commit(target("part-5"), hidden, hidden.length())).isEqualTo(CommitOutcome.COMMITTED);
            assertThat(compacting.commit(target("part-6"), unhidden, unhidden.length()))
                    .isEqualTo(CommitOutcome.COMMITTED);
            // A file written before compaction was switched on cannot be read before its commit: not compacted.
            AzureBlobRecoverable late = write((AzureBlobRecoverableWriter) plainSession.recoverableWriter(), "part-7", 10);
            assertThat(compacting.compactionSource(late, late.length())).isEmpty();
        }
        assertThat(visible()).containsOnlyKeys("out/b/part-5", "out/b/part-6");
        assertThat(allBlobs()).containsOnlyKeys("out/b/part-5", "out/b/part-6", "out/b/part-7");
        assertThat(text("out/b/part-5")).isEqualTo(content("part-5", 1500));
    }

    @Test
    void aPendingFileIsReadForACompactionFromALocalCopy() throws Exception {
        AzureBlobRecoverable file = write(writer, "part-8", 2500);
        java.nio.file.Path local;
        try (CompactionSource source = compacting.compactionSource(file, file.length()).orElseThrow()) {
            local = java.nio.file.Path.of(source.path().toUri());
            assertThat(Files.readString(local)).isEqualTo(content("part-8", 2500));
            assertThat(source.bytesFetched()).isEqualTo(file.length());
        }
        assertThat(local).doesNotExist();
        // Read twice (a retried compaction): finished at the hidden name already.
        compacting.compactionSource(file, file.length()).orElseThrow().close();
        assertThat(visible()).isEmpty();
        compacting.discardCompactedInput(file);
        compacting.discardCompactedInput(file);
        assertThat(allBlobs()).isEmpty();
    }

    @Test
    void concatenatesInTheStoreAndFallsBackToDownloadsWhereThePutBlockFromUrlIsMissing() throws Exception {
        List<ConcatenationInput> inputs = List.of(
                input("part-10", 1200), input("part-11", 0), input("part-12", 5000));
        ServerSideConcatenation concatenation = compacting.serverSideConcatenation().orElseThrow();
        byte[] delimiter = "--\n".getBytes(StandardCharsets.UTF_8);

        ConcatenatedFile output = concatenation.concatenate(target("compacted-part-10"), inputs, delimiter)
                .orElseThrow();

        long inputBytes = 6200;
        assertThat(output.size()).isEqualTo(inputBytes + 3 * delimiter.length);
        // Azurite 3.35.0 answers Put Block From URL with 501: the inputs went through here (down and up again).
        assertThat(((AzureBlobConcatenation) concatenation).fellBackToDownloads()).isTrue();
        assertThat(output.bytesThroughTaskManager()).isEqualTo(2 * inputBytes + 3 * delimiter.length);
        assertThat(visible()).isEmpty();

        compacting.commit(target("compacted-part-10"), output.pendingFile(), output.size());
        for (ConcatenationInput input : inputs) {
            compacting.discardCompactedInput(input.pendingFile());
        }
        assertThat(text("out/b/compacted-part-10")).isEqualTo(
                content("part-10", 1200) + "--\n" + "--\n" + content("part-12", 5000) + "--\n");
        assertThat(allBlobs()).containsOnlyKeys("out/b/compacted-part-10");
    }

    @Test
    void discardsHalfBuiltOutputsAndOrphansByName() throws Exception {
        AzureBlobRecoverable stagedOnly = write(writer, "compacted-part-20", 1500);
        AzureBlobRecoverable finished = write(writer, "compacted-part-21", 1500);
        writer.finishAtHiddenName(finished);
        AzureBlobRecoverable kept = write(writer, "part-22", 1500);
        AzureBlobRecoverable orphan = write(writer, "part-23", 1500);

        assertThat(compacting.discardInProgress(target("x").getParent(), Set.of("compacted-part-20", "compacted-part-21")))
                .isEqualTo(2);
        assertThat(compacting.discardOrphans(name -> name.equals("part-23"))).isEqualTo(1);

        assertThat(allBlobs()).containsOnlyKeys(kept.hiddenName());
        assertThat(stagedOnly.hiddenName()).isNotEqualTo(orphan.hiddenName());
    }

    @Test
    void azuriteImplementsCopyBlobButNotTheBlockAndBlobFromUrlOperations() throws Exception {
        container.getBlobClient("source").upload(BinaryData.fromString("abc"));
        String source = container.getBlobClient("source").getBlobUrl();
        container.getBlobClient("copy").beginCopy(source, null).waitForCompletion();
        assertThat(text("copy")).isEqualTo("abc");
        assertThatThrownBy(() -> container.getBlobClient("staged").getBlockBlobClient()
                .stageBlockFromUrl("YmxvY2s=", source, null))
                .isInstanceOfSatisfying(BlobStorageException.class, e -> assertThat(e.getStatusCode()).isEqualTo(501));
        assertThatThrownBy(() -> container.getBlobClient("put").getBlockBlobClient().uploadFromUrl(source))
                .isInstanceOfSatisfying(BlobStorageException.class, e -> assertThat(e.getStatusCode()).isEqualTo(501));
    }

    private ConcatenationInput input(String name, int bytes) throws IOException {
        AzureBlobRecoverable file = write(writer, name, bytes);
        return new ConcatenationInput(target(name), file, file.length());
    }

    private AzureBlobRecoverable write(AzureBlobRecoverableWriter to, String name, int bytes) throws IOException {
        RecoverableFsDataOutputStream stream = to.open(target(name));
        stream.write(content(name, bytes).getBytes(StandardCharsets.UTF_8));
        AzureBlobRecoverable file = AzureBlobRecoverable.resolve(stream.closeForCommit().getRecoverable());
        return file;
    }

    private static String content(String name, int bytes) {
        StringBuilder text = new StringBuilder(bytes);
        while (text.length() < bytes) {
            text.append(name).append(' ').append(text.length()).append('\n');
        }
        return text.substring(0, bytes);
    }

    private String text(String name) {
        return container.getBlobClient(name).downloadContent().toString();
    }

    /** Committed blobs a reader would see (no dot-names). */
    private Map<String, Long> visible() {
        Map<String, Long> visible = new TreeMap<>();
        for (BlobItem item : container.listBlobs()) {
            if (!item.getName().substring(item.getName().lastIndexOf('/') + 1).startsWith(".")) {
                visible.put(item.getName(), item.getProperties().getContentLength());
            }
        }
        return visible;
    }

    /** Every blob, committed or with staged blocks only. */
    private Map<String, Long> allBlobs() {
        Map<String, Long> all = new TreeMap<>();
        for (BlobItem item : container.listBlobs(new ListBlobsOptions()
                .setDetails(new BlobListDetails().setRetrieveUncommittedBlobs(true)), null)) {
            all.put(item.getName(), item.getProperties().getContentLength());
        }
        return all;
    }
}
