package dev.filesink.azure;

import dev.filesink.azure.testing.Azurite;
import dev.filesink.storage.StorageSession;
import dev.filesink.testing.CreateFileOnceContract;
import dev.filesink.testing.LostAnswerProxy;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobListDetails;
import com.azure.storage.blob.models.ListBlobsOptions;

import org.apache.flink.core.fs.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Small blobs written once with a conditional Put Blob, against Azurite. */
class AzureSmallFilesITCase extends CreateFileOnceContract {

    private static final String CONTAINER = "small-files";
    private static final AtomicInteger TESTS = new AtomicInteger();
    private static Azurite azurite;
    private static BlobContainerClient container;

    private String prefix;
    private StorageSession session;

    @BeforeAll
    static void startAzurite() throws Exception {
        azurite = Azurite.inMemory();
        container = azurite.createContainer(CONTAINER);
    }

    @AfterAll
    static void stopAzurite() {
        azurite.stop();
    }

    @BeforeEach
    void open() throws Exception {
        prefix = "test-" + TESTS.incrementAndGet();
        session = storage().open(base());
    }

    @AfterEach
    void close() throws Exception {
        session.close();
    }

    private static AzureBlobStorage storage() {
        return AzureBlobStorage.of(AzureBlobDestination.builder().accountKey(Azurite.KEY).endpoint(azurite.endpoint())
                .build());
    }

    @Override
    protected StorageSession session() {
        return session;
    }

    @Override
    protected Path base() {
        return new Path(azurite.abfsPath(CONTAINER, prefix));
    }

    /** Committed and staged-only blobs alike. */
    @Override
    protected List<String> namesBelowBase() {
        List<String> names = new ArrayList<>();
        for (BlobItem item : container.listBlobs(new ListBlobsOptions().setPrefix(prefix + "/")
                .setDetails(new BlobListDetails().setRetrieveUncommittedBlobs(true)), null)) {
            names.add(item.getName().substring(prefix.length() + 1));
        }
        names.sort(null);
        return names;
    }

    @Test
    void aPutBlobWhoseAnswerWasLostIsThisCallsCreation() throws Exception {
        // The SDK sends the blob name's slashes encoded (%2F).
        String marker = "PUT /" + Azurite.ACCOUNT + "/" + CONTAINER + "/" + prefix + "%2F_SUCCESS ";
        try (LostAnswerProxy proxy = new LostAnswerProxy(azurite.port(), marker, 1);
                StorageSession throughProxy = AzureBlobStorage.of(AzureBlobDestination.builder()
                                .accountKey(Azurite.KEY).endpoint(proxy.endpoint(Azurite.ACCOUNT))
                                .maxTries(3).retryDelay(Duration.ofMillis(50)).maxRetryDelay(Duration.ofMillis(100))
                                .build())
                        .open(base())) {
            byte[] content = "done".getBytes(StandardCharsets.UTF_8);

            // The SDK retries the Put Blob; the retry is refused (409), and the blob there carries this call's token.
            assertThat(throughProxy.createFileOnce(path("_SUCCESS"), content)).isTrue();

            assertThat(proxy.lost()).isEqualTo(1);
            assertThat(throughProxy.createFileOnce(path("_SUCCESS"), content)).isFalse();
        }
        assertThat(container.getBlobClient(prefix + "/_SUCCESS").downloadContent().toString()).isEqualTo("done");
        assertThat(namesBelowBase()).containsExactly("_SUCCESS");
    }

    @Test
    void neverReplacesABlobSomebodyElseWrote() throws Exception {
        container.getBlobClient(prefix + "/_SUCCESS").upload(BinaryData.fromString("somebody else's"));

        assertThat(session.createFileOnce(path("_SUCCESS"), "ours".getBytes(StandardCharsets.UTF_8))).isFalse();

        assertThat(container.getBlobClient(prefix + "/_SUCCESS").downloadContent().toString())
                .isEqualTo("somebody else's");
    }

    @Test
    void aMissingContainerIsAnErrorNamingIt() throws Exception {
        Path elsewhere = new Path(azurite.abfsPath("no-such-container", "x/_SUCCESS"));

        assertThatThrownBy(() -> session.createFileOnce(elsewhere, new byte[] {1}))
                .hasMessageContaining("no-such-container").hasMessageContaining("x/_SUCCESS");
        assertThatThrownBy(() -> session.readFile(elsewhere))
                .hasMessageContaining("no-such-container").hasMessageContaining("x/_SUCCESS");
    }
}
