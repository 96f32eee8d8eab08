package dev.filesink.azure;

import dev.filesink.azure.config.AzureBlobCredentials;
import dev.filesink.azure.client.AzureBlobClientFactory;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.fs.Path;
import org.apache.flink.util.InstantiationUtil;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AzureBlobDestinationTest {

    private static final String KEY = "c2VjcmV0LWtleS1vZi10aGUtYWNjb3VudA==";
    private static final String SAS = "sv=2024-01-01&ss=b&srt=co&sp=racw&se=2030-01-01&sig=abcDEF123%2Bxyz%3D";
    private static final String CONNECTION = "DefaultEndpointsProtocol=https;AccountName=myacct;AccountKey=" + KEY
            + ";EndpointSuffix=core.windows.net";

    @Test
    void toStringAndSerializedFormNeverShowSecrets() throws Exception {
        for (AzureBlobDestination destination : new AzureBlobDestination[] {
                AzureBlobDestination.builder().accountKey(KEY).build(),
                AzureBlobDestination.builder().sasToken(SAS).build(),
                AzureBlobDestination.builder().connectionString(CONNECTION).build()}) {
            assertThat(destination.toString()).doesNotContain(KEY).doesNotContain("sig=").doesNotContain("abcDEF");
            assertThat(AzureBlobStorage.of(destination).toString()).doesNotContain(KEY).doesNotContain("abcDEF");
            // It travels to the task managers.
            AzureBlobDestination copy = InstantiationUtil.clone(destination);
            assertThat(copy.credentials().mode()).isEqualTo(destination.credentials().mode());
        }
    }

    @Test
    void builderRejectsBadOptionsNamingThem() {
        assertThatThrownBy(() -> AzureBlobDestination.builder().build()).hasMessageContaining("authentication");
        assertThatThrownBy(() -> AzureBlobDestination.builder().accountKey(KEY).sasToken(SAS))
                .hasMessageContaining("choose one mode");
        assertThatThrownBy(() -> AzureBlobDestination.builder().accountKey(KEY).blockSize(0).build())
                .hasMessageContaining("blockSize");
        assertThatThrownBy(() -> AzureBlobDestination.builder().accountKey(KEY).maxBlocksPerBlob(50_001).build())
                .hasMessageContaining("maxBlocksPerBlob");
        assertThatThrownBy(() -> AzureBlobDestination.builder().accountKey(KEY).uploadsInFlight(0).build())
                .hasMessageContaining("uploadsInFlight");
        assertThatThrownBy(() -> AzureBlobDestination.builder().accountKey(KEY).endpoint("ftp://x").build())
                .hasMessageContaining("endpoint");
        assertThatThrownBy(() -> AzureBlobDestination.builder().accountKey(KEY).endpoint("https://a.blob.core.windows.net?" + SAS).build())
                .hasMessageContaining("must not carry a query").message().doesNotContain("abcDEF");
        assertThatThrownBy(() -> AzureBlobDestination.builder().accountKey(KEY)
                .retryDelay(Duration.ofSeconds(5)).maxRetryDelay(Duration.ofSeconds(1)).build())
                .hasMessageContaining("maxRetryDelay");
        assertThatThrownBy(() -> AzureBlobCredentials.accountKey(" ")).hasMessageContaining("account key must not be empty");
    }

    @Test
    void accountNamesMustAgree() {
        AzureBlobLocation base = AzureBlobLocation.of(new Path("abfss://events@myacct.dfs.core.windows.net/raw"));
        assertThat(AzureBlobClientFactory.accountOf(AzureBlobDestination.builder().connectionString(CONNECTION).build(), base))
                .isEqualTo("myacct");
        assertThatThrownBy(() -> AzureBlobClientFactory.accountOf(
                        AzureBlobDestination.builder().accountKey(KEY).accountName("other").build(), base))
                .hasMessageContaining("account mismatch").hasMessageContaining("'other'").hasMessageContaining("'myacct'");
    }

    @Test
    void endpointIsTheOverrideElseTheConnectionStringsElseThePaths() {
        AzureBlobLocation base = AzureBlobLocation.of(new Path("abfss://events@myacct.dfs.core.windows.net/raw"));
        assertThat(AzureBlobClientFactory.endpointOf(AzureBlobDestination.builder().accountKey(KEY).build(), base))
                .isEqualTo("https://myacct.blob.core.windows.net");
        assertThat(AzureBlobClientFactory.endpointOf(AzureBlobDestination.builder().accountKey(KEY)
                        .endpoint("https://myacct.privatelink.blob.core.windows.net/").build(), base))
                .isEqualTo("https://myacct.privatelink.blob.core.windows.net");
        assertThat(AzureBlobClientFactory.endpointOf(AzureBlobDestination.builder()
                        .connectionString(CONNECTION + ";BlobEndpoint=http://127.0.0.1:1/myacct").build(), base))
                .isEqualTo("http://127.0.0.1:1/myacct");
    }

    @Test
    void defaultAzureCredentialBuildsAClientWithoutSecrets() {
        AzureBlobDestination destination = AzureBlobDestination.builder()
                .defaultAzureCredential("11111111-2222-3333-4444-555555555555", "tenant-x").build();
        assertThat(destination.toString()).contains("DefaultAzureCredential").contains("11111111-2222");
        AzureBlobLocation base = AzureBlobLocation.of(new Path("abfss://events@myacct.dfs.core.windows.net/raw"));
        assertThat(AzureBlobClientFactory.create(destination, base).getAccountUrl()).isEqualTo("https://myacct.blob.core.windows.net");
    }

    @Test
    void configurationKeysBuildEveryMode() {
        Configuration conf = new Configuration();
        conf.setString("filesink.azure.secret.account-key", KEY);
        conf.setString("filesink.azure.endpoint", "http://127.0.0.1:10000/devstoreaccount1");
        conf.setString("filesink.azure.block-size", "4 mb");
        conf.setString("filesink.azure.uploads-in-flight", "3");
        conf.setString("filesink.azure.max-buffered-bytes", "32 mb");
        conf.setString("filesink.azure.retry.max-tries", "6");
        conf.setString("filesink.azure.retry.try-timeout", "30 s");
        conf.setString("filesink.azure.retry.delay", "200 ms");
        conf.setString("filesink.azure.retry.max-delay", "10 s");
        AzureBlobDestination destination = AzureBlobDestination.fromConfiguration(conf);
        assertThat(destination.credentials()).isInstanceOf(AzureBlobCredentials.AccountKey.class);
        assertThat(destination.endpoint()).contains("http://127.0.0.1:10000/devstoreaccount1");
        assertThat(destination.blockSize()).isEqualTo(4 * 1024 * 1024);
        assertThat(destination.uploadsInFlight()).isEqualTo(3);
        assertThat(destination.maxBufferedBytes()).isEqualTo(32L * 1024 * 1024);
        assertThat(destination.maxTries()).isEqualTo(6);
        assertThat(destination.tryTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(destination.retryDelay()).isEqualTo(Duration.ofMillis(200));
        assertThat(destination.maxRetryDelay()).isEqualTo(Duration.ofSeconds(10));

        Configuration sas = new Configuration();
        sas.setString("filesink.azure.secret.sas-token", SAS);
        assertThat(AzureBlobDestination.fromConfiguration(sas).credentials()).isInstanceOf(AzureBlobCredentials.SasToken.class);

        Configuration connection = new Configuration();
        connection.setString("filesink.azure.secret.connection-string", CONNECTION);
        assertThat(AzureBlobDestination.fromConfiguration(connection).credentials()).isInstanceOf(AzureBlobCredentials.ConnectionString.class);

        Configuration entra = new Configuration();
        entra.setString("filesink.azure.credentials.provider", "default-azure-credential");
        entra.setString("filesink.azure.managed-identity.client-id", "abc");
        assertThat(AzureBlobDestination.fromConfiguration(entra).credentials()).isInstanceOf(AzureBlobCredentials.DefaultCredential.class);
        assertThat(AzureBlobStorage.fromConfiguration(entra).destination().credentials().mode()).contains("abc");
    }

    @Test
    void configurationErrorsNameTheOption() {
        assertThatThrownBy(() -> AzureBlobDestination.fromConfiguration(new Configuration()))
                .hasMessageContaining("no authentication configured")
                .hasMessageContaining("filesink.azure.secret.account-key");
        Configuration both = new Configuration();
        both.setString("filesink.azure.secret.account-key", KEY);
        both.setString("filesink.azure.secret.sas-token", SAS);
        assertThatThrownBy(() -> AzureBlobDestination.fromConfiguration(both))
                .hasMessageContaining("several secrets").hasMessageContaining("filesink.azure.credentials.provider")
                .message().doesNotContain(KEY);
        Configuration missing = new Configuration();
        missing.setString("filesink.azure.credentials.provider", "sas-token");
        assertThatThrownBy(() -> AzureBlobDestination.fromConfiguration(missing))
                .hasMessageContaining("filesink.azure.secret.sas-token is not set");
        Configuration unknown = new Configuration();
        unknown.setString("filesink.azure.credentials.provider", "password");
        assertThatThrownBy(() -> AzureBlobDestination.fromConfiguration(unknown))
                .hasMessageContaining("filesink.azure.credentials.provider must be");
        Configuration block = new Configuration();
        block.setString("filesink.azure.secret.account-key", KEY);
        block.setString("filesink.azure.block-size", "2 gb");
        assertThatThrownBy(() -> AzureBlobDestination.fromConfiguration(block))
                .hasMessageContaining("filesink.azure.block-size");
    }
}
