package dev.filesink.azure;

import dev.filesink.FileSink;
import dev.filesink.azure.testing.Azurite;
import dev.filesink.azure.testing.Blobs;
import dev.filesink.testing.RerunContract;
import dev.filesink.testing.RerunScenarios;

import org.apache.flink.api.common.serialization.SimpleStringEncoder;
import org.apache.flink.core.fs.Path;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobListDetails;
import com.azure.storage.blob.models.ListBlobsOptions;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Runs that meet each other's blobs in one container (Azurite): reruns with one job id, a shared base path. */
class AzureRerunITCase extends RerunContract {

    private static final String CONTAINER = "reruns";
    private static Azurite azurite;
    private static BlobContainerClient container;

    @BeforeAll
    static void startAzurite() throws IOException {
        azurite = Azurite.inMemory();
        container = azurite.createContainer(CONTAINER);
    }

    @AfterAll
    static void stopAzurite() {
        azurite.stop();
    }

    @Override
    protected RerunScenarios.StorageUnderTest storage() {
        return new Container();
    }

    /** A folder of the container: committed blobs, and blobs that have only uncommitted blocks. */
    private static final class Container implements RerunScenarios.StorageUnderTest {

        @Override
        public FileSink.DefaultRowFormatBuilder<String> rowFormat(String dir) {
            AzureBlobDestination destination =
                    AzureBlobDestination.builder().accountKey(Azurite.KEY).endpoint(azurite.endpoint()).build();
            return FileSink.forRowFormat(new Path(azurite.abfsPath(CONTAINER, dir)), new SimpleStringEncoder<String>())
                    .withStorage(AzureBlobStorage.of(destination));
        }

        @Override
        public Map<String, byte[]> finished(String dir) {
            Map<String, byte[]> blobs = new LinkedHashMap<>();
            for (String name : Blobs.visible(container, dir + "/").keySet()) {
                blobs.put(name.substring(dir.length() + 1), Blobs.bytes(container, name));
            }
            return blobs;
        }

        /**
         * Blobs that exist only as uncommitted blocks, but for the sink's write-check probes: each stages one tiny
         * block that is never committed and expires (docs/azure.md).
         */
        @Override
        public List<String> unfinished(String dir) {
            Set<String> committed = Blobs.visible(container, dir + "/").keySet();
            List<String> unfinished = new ArrayList<>();
            ListBlobsOptions everything = new ListBlobsOptions().setPrefix(dir + "/")
                    .setDetails(new BlobListDetails().setRetrieveUncommittedBlobs(true));
            for (BlobItem item : container.listBlobs(everything, null)) {
                String name = item.getName();
                if (!committed.contains(name) && !name.contains("/_filesink-write-check-")) {
                    unfinished.add(name);
                }
            }
            return unfinished;
        }

        @Override
        public Optional<String> inProgressTarget(String dir) {
            return unfinished(dir).stream().findFirst().map(name -> name.substring(dir.length() + 1));
        }

        @Override
        public void placeByHand(String dir, String relativePath, byte[] content) {
            container.getBlobClient(dir + "/" + relativePath).upload(BinaryData.fromBytes(content), true);
        }
    }
}
