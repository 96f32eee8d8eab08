package dev.filesink.azure;

import dev.filesink.azure.client.AzureStorageException;
import dev.filesink.azure.testing.Azurite;
import dev.filesink.azure.testing.Blobs;
import dev.filesink.azure.writer.AzureBlobRecoverable;
import dev.filesink.partfile.MemoryReporting;
import dev.filesink.partfile.RollReason;
import dev.filesink.storage.CommitConflictException;
import dev.filesink.storage.CommitOutcome;
import dev.filesink.storage.StorageSession;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.Block;
import com.azure.storage.blob.models.BlockListType;
import com.azure.storage.blob.sas.BlobContainerSasPermission;
import com.azure.storage.blob.sas.BlobServiceSasSignatureValues;

import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.RecoverableFsDataOutputStream;
import org.apache.flink.core.fs.RecoverableWriter;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The recoverable writer and storage session against Azurite: staging, persist, resume, commit, conflicts, auth. */
class AzureRecoverableWriterITCase {

    private static Azurite azurite;

    private String containerName;
    private BlobContainerClient container;

    @BeforeAll
    static void startAzurite() throws IOException {
        azurite = Azurite.inMemory();
    }

    @AfterAll
    static void stopAzurite() {
        azurite.stop();
    }

    @BeforeEach
    void createContainer() {
        containerName = "c" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
        container = azurite.createContainer(containerName);
    }

    private AzureBlobDestination.Builder destination() {
        return AzureBlobDestination.builder().accountKey(Azurite.KEY).endpoint(azurite.endpoint()).blockSize(1024);
    }

    private Path base() {
        return new Path(azurite.abfsPath(containerName, "out"));
    }

    private StorageSession open(AzureBlobDestination destination) throws IOException {
        return AzureBlobStorage.of(destination).open(base());
    }

    private static byte[] randomBytes(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    @Test
    void writesBlocksInvisiblyAndCommitsThemAsOneBlob() throws Exception {
        byte[] data = randomBytes(10_000, 1);
        try (StorageSession session = open(destination().build())) {
            session.checkWritable();
            RecoverableWriter writer = session.recoverableWriter();
            Path target = new Path(base(), "bucket/part-0");
            RecoverableFsDataOutputStream out = writer.open(target);
            out.write(data, 0, 3_000);
            out.write(data, 3_000, 7_000);
            assertThat(out.getPos()).isEqualTo(10_000);
            RecoverableFsDataOutputStream.Committer committer = out.closeForCommit();

            assertThat(Blobs.visible(container, "")).as("nothing visible before the commit").isEmpty();
            AzureBlobRecoverable pending = AzureBlobRecoverable.resolve(committer.getRecoverable());
            assertThat(pending.blocks().size()).isEqualTo(10);

            assertThat(session.commit(target, pending, 10_000)).isEqualTo(CommitOutcome.COMMITTED);
            assertThat(Blobs.bytes(container, "out/bucket/part-0")).isEqualTo(data);

            List<Block> blocks = container.getBlobClient("out/bucket/part-0").getBlockBlobClient()
                    .listBlocks(BlockListType.COMMITTED).getCommittedBlocks();
            assertThat(blocks).hasSize(10);
            assertThat(blocks.stream().map(Block::getName).distinct()).as("unique block ids").hasSize(10);
            assertThat(blocks.stream().map(b -> b.getName().length()).distinct()).as("equal-length ids").hasSize(1);

            // A commit replayed after a restore finds its own blob and changes nothing.
            assertThat(session.commit(target, pending, 10_000)).isEqualTo(CommitOutcome.ALREADY_COMMITTED);
            assertThat(Blobs.bytes(container, "out/bucket/part-0")).isEqualTo(data);
        }
    }

    @Test
    void resumesAfterPersistAndDropsWhatWasWrittenAfterIt() throws Exception {
        byte[] data = randomBytes(5_000, 2);
        try (StorageSession session = open(destination().build())) {
            RecoverableWriter writer = session.recoverableWriter();
            Path target = new Path(base(), "part-1");
            RecoverableFsDataOutputStream out = writer.open(target);
            out.write(data, 0, 2_500);
            RecoverableWriter.ResumeRecoverable persisted = out.persist();
            // Serialized and read back, as a checkpoint would.
            byte[] state = writer.getResumeRecoverableSerializer().serialize(persisted);
            out.write(randomBytes(4_000, 99), 0, 4_000);
            out.persist();
            out.close();

            RecoverableWriter.ResumeRecoverable restored = writer.getResumeRecoverableSerializer()
                    .deserialize(writer.getResumeRecoverableSerializer().getVersion(), state);
            RecoverableFsDataOutputStream resumed = writer.recover(restored);
            assertThat(resumed.getPos()).isEqualTo(2_500);
            resumed.write(data, 2_500, 2_500);
            AzureBlobRecoverable pending = AzureBlobRecoverable.resolve(resumed.closeForCommit().getRecoverable());

            assertThat(session.commit(target, pending, 5_000)).isEqualTo(CommitOutcome.COMMITTED);
            assertThat(Blobs.bytes(container, "out/part-1")).isEqualTo(data);
            List<Block> blocks = container.getBlobClient("out/part-1").getBlockBlobClient()
                    .listBlocks(BlockListType.COMMITTED).getCommittedBlocks();
            assertThat(blocks.stream().map(b -> b.getName().length()).distinct()).hasSize(1);
        }
    }

    @Test
    void neverOverwritesABlobItDidNotWrite() throws Exception {
        container.getBlobClient("out/part-2").upload(BinaryData.fromString("someone else's data"));
        try (StorageSession session = open(destination().build())) {
            Path target = new Path(base(), "part-2");
            RecoverableFsDataOutputStream out = session.recoverableWriter().open(target);
            out.write("ours".getBytes(StandardCharsets.UTF_8));
            AzureBlobRecoverable pending = AzureBlobRecoverable.resolve(out.closeForCommit().getRecoverable());

            assertThatThrownBy(() -> session.commit(target, pending, 4))
                    .isInstanceOf(CommitConflictException.class)
                    .hasMessageContaining("out/part-2")
                    .hasMessageContaining("did not write");
            assertThat(Blobs.text(container, "out/part-2")).isEqualTo("someone else's data");
        }
    }

    @Test
    void reportsLostPendingDataAsFileNotFound() throws Exception {
        try (StorageSession session = open(destination().build())) {
            Path target = new Path(base(), "part-3");
            RecoverableFsDataOutputStream out = session.recoverableWriter().open(target);
            out.write(randomBytes(100, 3), 0, 100);
            AzureBlobRecoverable pending = AzureBlobRecoverable.resolve(out.closeForCommit().getRecoverable());
            // Committing another block list for the blob drops its uncommitted blocks, as expiry would.
            container.getBlobClient("out/part-3").getBlockBlobClient().commitBlockList(List.of());
            container.getBlobClient("out/part-3").delete();

            assertThatThrownBy(() -> session.commit(target, pending, 100))
                    .isInstanceOf(FileNotFoundException.class)
                    .hasMessageContaining("staged blocks are gone");
        }
    }

    @Test
    void aBlockThatCouldNotBeStagedNeverReachesACheckpointOrACommit() throws Exception {
        try (StorageSession session = AzureBlobStorage.of(destination().maxTries(1).build())
                .open(new Path(azurite.abfsPath("gone-" + containerName.substring(1), "out")))) {
            Path target = new Path(azurite.abfsPath("gone-" + containerName.substring(1), "out/part-5"));
            RecoverableFsDataOutputStream out = session.recoverableWriter().open(target);
            out.write(randomBytes(100, 10), 0, 100);
            // The container does not exist: the upload fails in the background, after closeForCommit returned.
            RecoverableWriter.CommitRecoverable pending = out.closeForCommit().getRecoverable();
            assertThatThrownBy(() -> session.recoverableWriter().getCommitRecoverableSerializer().serialize(pending))
                    .hasMessageContaining("Upload of blob")
                    .hasMessageContaining("failed")
                    .hasMessageContaining("ContainerNotFound");
            assertThatThrownBy(() -> session.commit(target, pending, 100))
                    .hasMessageContaining("Upload of blob")
                    .hasMessageContaining("failed");
        }
    }

    @Test
    void stagesInTheBackgroundWithinTheMemoryAndUploadBounds() throws Exception {
        AzureBlobDestination destination = destination().blockSize(4096).uploadsInFlight(2).maxBufferedBytes(16_384).build();
        try (StorageSession session = open(destination)) {
            RecoverableWriter writer = session.recoverableWriter();
            List<RecoverableFsDataOutputStream> streams = new ArrayList<>();
            List<byte[]> contents = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                streams.add(writer.open(new Path(base(), "many/part-" + i)));
                contents.add(new byte[0]);
            }
            Random random = new Random(4);
            for (int round = 0; round < 40; round++) {
                for (int i = 0; i < streams.size(); i++) {
                    byte[] chunk = randomBytes(200 + random.nextInt(800), round * 100L + i);
                    streams.get(i).write(chunk, 0, chunk.length);
                    byte[] joined = new byte[contents.get(i).length + chunk.length];
                    System.arraycopy(contents.get(i), 0, joined, 0, contents.get(i).length);
                    System.arraycopy(chunk, 0, joined, contents.get(i).length, chunk.length);
                    contents.set(i, joined);
                    assertThat(WriterProbe.bufferedBytes(writer)).isLessThanOrEqualTo(16_384);
                    assertThat(WriterProbe.uploadsInFlight(writer)).isLessThanOrEqualTo(2);
                }
            }
            long reported = streams.stream().mapToLong(stream -> ((MemoryReporting) stream).bufferedBytes()).sum();
            assertThat(reported).as("what the streams report to the sink's memory budget")
                    .isPositive()
                    .isEqualTo(WriterProbe.bufferedBytes(writer));
            for (int i = 0; i < streams.size(); i++) {
                Path target = new Path(base(), "many/part-" + i);
                AzureBlobRecoverable pending = AzureBlobRecoverable.resolve(streams.get(i).closeForCommit().getRecoverable());
                assertThat(session.commit(target, pending, contents.get(i).length)).isEqualTo(CommitOutcome.COMMITTED);
                assertThat(Blobs.bytes(container, "out/many/part-" + i)).isEqualTo(contents.get(i));
            }
        }
    }

    @Test
    void signalsTheBlockLimitAheadAndRefusesToPassIt() throws Exception {
        try (StorageSession session = open(destination().blockSize(100).maxBlocksPerBlob(20).build())) {
            RecoverableFsDataOutputStream out = session.recoverableWriter().open(new Path(base(), "part-4"));
            var stream = (dev.filesink.azure.writer.AzureBlobOutputStream) out;
            out.write(randomBytes(300, 5), 0, 300);
            assertThat(stream.blockCount()).isEqualTo(3);
            assertThat(stream.nearBlockLimit()).isFalse();
            assertThat(stream.rollBefore("next record")).isNull();
            while (!stream.nearBlockLimit()) {
                out.write(randomBytes(100, stream.blockCount()), 0, 100);
            }
            // Room is kept for the largest write seen (3 blocks), a persist and the final block.
            assertThat(stream.blockCount()).isEqualTo(14);
            assertThat(stream.rollBefore("next record")).as("what the sink is told").isEqualTo(RollReason.STORAGE);
            assertThatThrownBy(() -> {
                        for (int i = 0; i < 10; i++) {
                            out.write(randomBytes(100, i), 0, 100);
                        }
                    })
                    .hasMessageContaining("would pass 20 blocks")
                    .hasMessageContaining("rolls before the limit");
            assertThat(stream.blockCount()).isEqualTo(20);
        }
    }

    @Test
    void missingContainerFailsTheWriteCheckClearly() throws Exception {
        try (StorageSession session = AzureBlobStorage.of(destination().build())
                .open(new Path(azurite.abfsPath("no-such-container", "out")))) {
            assertThatThrownBy(session::checkWritable)
                    .isInstanceOf(AzureStorageException.class)
                    .hasMessageContaining("container 'no-such-container'")
                    .hasMessageContaining("does not exist")
                    .hasMessageContaining("never creates");
        }
        assertThat(azurite.client().getBlobContainerClient("no-such-container").exists()).isFalse();
    }

    @Test
    void wrongKeyFailsTheWriteCheckWithoutShowingTheKey() throws Exception {
        String wrongKey = java.util.Base64.getEncoder().encodeToString(randomBytes(64, 8));
        try (StorageSession session = open(AzureBlobDestination.builder().accountKey(wrongKey)
                .endpoint(azurite.endpoint()).maxTries(1).build())) {
            assertThatThrownBy(session::checkWritable)
                    .isInstanceOf(AzureStorageException.class)
                    .hasMessageContaining("credentials were rejected")
                    .hasMessageContaining(containerName)
                    .satisfies(e -> assertNoSecret(e, wrongKey));
        }
    }

    @Test
    void sasTokenWritesAndNeverShowsTheToken() throws Exception {
        String sas = container.generateSas(new BlobServiceSasSignatureValues(OffsetDateTime.now().plusHours(1),
                BlobContainerSasPermission.parse("racw")));
        AzureBlobDestination destination = AzureBlobDestination.builder().sasToken("?" + sas).endpoint(azurite.endpoint())
                .build();
        assertThat(destination.toString()).doesNotContain(sas).contains("SAS token");
        try (StorageSession session = open(destination)) {
            session.checkWritable();
            Path target = new Path(base(), "sas/part-0");
            RecoverableFsDataOutputStream out = session.recoverableWriter().open(target);
            out.write("via sas\n".getBytes(StandardCharsets.UTF_8));
            AzureBlobRecoverable pending = AzureBlobRecoverable.resolve(out.closeForCommit().getRecoverable());
            assertThat(session.commit(target, pending, 8)).isEqualTo(CommitOutcome.COMMITTED);
        }
        assertThat(Blobs.text(container, "out/sas/part-0")).isEqualTo("via sas\n");

        // A token without write permission: the error names the problem, not the token.
        String readOnly = container.generateSas(new BlobServiceSasSignatureValues(OffsetDateTime.now().plusHours(1),
                BlobContainerSasPermission.parse("r")));
        try (StorageSession session = open(AzureBlobDestination.builder().sasToken(readOnly)
                .endpoint(azurite.endpoint()).maxTries(1).build())) {
            assertThatThrownBy(session::checkWritable)
                    .isInstanceOf(AzureStorageException.class)
                    .hasMessageContaining("403")
                    .satisfies(e -> assertNoSecret(e, readOnly));
        }
    }

    @Test
    void connectionStringWrites() throws Exception {
        AzureBlobDestination destination = AzureBlobDestination.builder()
                .connectionString(azurite.connectionString()).blockSize(1024).build();
        assertThat(destination.toString()).doesNotContain(Azurite.KEY);
        try (StorageSession session = open(destination)) {
            session.checkWritable();
            Path target = new Path(base(), "cs/part-0");
            RecoverableFsDataOutputStream out = session.recoverableWriter().open(target);
            byte[] data = randomBytes(3000, 9);
            out.write(data, 0, data.length);
            AzureBlobRecoverable pending = AzureBlobRecoverable.resolve(out.closeForCommit().getRecoverable());
            assertThat(session.commit(target, pending, data.length)).isEqualTo(CommitOutcome.COMMITTED);
            assertThat(Blobs.bytes(container, "out/cs/part-0")).isEqualTo(data);
        }
    }

    static void assertNoSecret(Throwable error, String secret) {
        java.io.StringWriter trace = new java.io.StringWriter();
        error.printStackTrace(new java.io.PrintWriter(trace));
        assertThat(trace.toString()).doesNotContain(secret);
        String signature = secret.replaceAll(".*sig=([^&]+).*", "$1");
        assertThat(trace.toString()).doesNotContain(signature);
        assertThat(trace.toString()).doesNotContain(java.net.URLDecoder.decode(signature, StandardCharsets.UTF_8));
    }
}
