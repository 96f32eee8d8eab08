package dev.filesink.azure.commit;

import dev.filesink.azure.AzureBlobDestination;
import dev.filesink.azure.AzureBlobLocation;
import dev.filesink.azure.client.AzureBlobClientFactory;
import dev.filesink.azure.testing.Azurite;

import com.azure.storage.blob.BlobClient;

import org.apache.flink.core.fs.Path;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How the service may read a compaction input for each way of authenticating: no request is sent (the
 * server-side path of Put Block From URL cannot run against Azurite, which answers it with 501).
 */
class CopySourcesTest {

    private static final String ENDPOINT = "http://127.0.0.1:1/" + Azurite.ACCOUNT;

    @Test
    void aSharedKeySinkSignsAShortLivedReadOnlySasForPutBlockFromUrlOnly() {
        AzureBlobDestination destination = AzureBlobDestination.builder().accountKey(Azurite.KEY).endpoint(ENDPOINT).build();
        CopySources sources = new CopySources(destination);
        BlobClient source = blob(destination);

        String url = sources.forBlockFromUrl(source);

        assertThat(url).startsWith(source.getBlobUrl() + "?").contains("sp=r&").contains("sig=").contains("sr=b");
        assertThat(url).doesNotContain(Azurite.KEY);
        // Copy Blob within the account is authorized by the request's own Shared Key.
        assertThat(sources.forCopyBlob(source)).isEqualTo(source.getBlobUrl());
        assertThat(sources.sourceAuthorization()).isNull();
    }

    @Test
    void aSasSinkHandsItsOwnSasToBothCopies() {
        AzureBlobDestination destination = AzureBlobDestination.builder().sasToken("?sv=2024-01-01&sp=racw&sig=abc")
                .accountName(Azurite.ACCOUNT).endpoint(ENDPOINT).build();
        CopySources sources = new CopySources(destination);
        BlobClient source = blob(destination);

        assertThat(sources.forBlockFromUrl(source)).isEqualTo(source.getBlobUrl() + "?sv=2024-01-01&sp=racw&sig=abc");
        assertThat(sources.forCopyBlob(source)).isEqualTo(source.getBlobUrl() + "?sv=2024-01-01&sp=racw&sig=abc");
        assertThat(sources.sourceAuthorization()).isNull();
    }

    private static BlobClient blob(AzureBlobDestination destination) {
        Path base = new Path("abfss://events@" + Azurite.ACCOUNT + ".dfs.core.windows.net/out");
        return AzureBlobClientFactory.create(destination, AzureBlobLocation.of(base)).getBlobContainerClient("events")
                .getBlobClient("out/.part-0.inprogress.x");
    }
}
