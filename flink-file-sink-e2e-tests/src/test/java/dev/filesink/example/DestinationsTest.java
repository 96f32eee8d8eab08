package dev.filesink.example;

import org.apache.flink.configuration.Configuration;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DestinationsTest {

    private static final Configuration NO_CONFIG = new Configuration();

    @Test
    void localFoldersAreAbsolute() {
        Destination relative = Destinations.parse("example-output", NO_CONFIG, Map.of());
        Destination uri = Destinations.parse("file:///tmp/out", NO_CONFIG, Map.of());

        assertThat(relative).isInstanceOf(LocalFolderDestination.class);
        assertThat(((LocalFolderDestination) relative).folder()).isEqualTo(Path.of("example-output").toAbsolutePath());
        assertThat(uri.basePath().toUri().getPath()).isEqualTo("/tmp/out");
    }

    @Test
    void s3DestinationsTakeOptionsFromTheConfigurationAndTheCommandLine() {
        Configuration config = new Configuration();
        config.setString("filesink.s3.endpoint", "http://127.0.0.1:9000");
        Destination s3 = Destinations.parse("s3://bucket/prefix", config, Map.of("filesink.s3.path-style-access", "true"));

        assertThat(s3).isInstanceOf(S3BucketDestination.class);
        assertThat(s3.describe()).isEqualTo("s3://bucket/prefix at http://127.0.0.1:9000");
        assertThat(s3.basePath().toString()).isEqualTo("s3://bucket/prefix");
    }

    @Test
    void azureDestinationsAcceptThePathFormsOfAzure() {
        Map<String, String> key = Map.of("filesink.azure.secret.account-key", "a2V5");

        Destination abfss = Destinations.parse("abfss://events@account1.dfs.core.windows.net/out", NO_CONFIG, key);
        Destination emulator = Destinations.parse("http://127.0.0.1:10000/devstoreaccount1/events/out", NO_CONFIG, key);

        assertThat(abfss.describe()).contains("container 'events'").contains("account 'account1'")
                .contains("https://account1.blob.core.windows.net");
        assertThat(emulator.describe()).contains("account 'devstoreaccount1'").contains("http://127.0.0.1:10000");
        assertThat(abfss.toString() + abfss.describe() + abfss.storage()).doesNotContain("a2V5");
    }

    @Test
    void mistakesAreNamed() {
        assertThatThrownBy(() -> Destinations.parse("ftp://host/out", NO_CONFIG, Map.of()))
                .hasMessageStartingWith("Option --destination: unsupported destination 'ftp://host/out'.");
        assertThatThrownBy(() -> Destinations.parse("s3:///no-bucket", NO_CONFIG, Map.of()))
                .hasMessageContaining("names no bucket");
        assertThatThrownBy(() -> Destinations.parse("s3://b/p", NO_CONFIG, Map.of("filesink.s3.endpiont", "x")))
                .hasMessageContaining("Unknown option --filesink.s3.endpiont");
        assertThatThrownBy(() -> Destinations.parse("/tmp/out", NO_CONFIG, Map.of("filesink.s3.region", "eu-west-1")))
                .hasMessage("Option --filesink.s3.region does not apply to local folder /tmp/out");
        assertThatThrownBy(() -> Destinations.parse("abfss://events@account1.dfs.core.windows.net/out", NO_CONFIG, Map.of()))
                .hasMessageContaining("no authentication configured");
    }
}
