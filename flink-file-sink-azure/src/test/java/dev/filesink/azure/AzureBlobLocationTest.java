package dev.filesink.azure;


import org.apache.flink.core.fs.Path;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AzureBlobLocationTest {

    @Test
    void abfsPathsAreWrittenThroughTheBlobEndpoint() {
        AzureBlobLocation location = AzureBlobLocation.of(new Path("abfss://events@myacct.dfs.core.windows.net/raw/2024"));
        assertThat(location).isEqualTo(new AzureBlobLocation("myacct", "events", "raw/2024",
                "https://myacct.blob.core.windows.net"));
        assertThat(AzureBlobLocation.of(new Path("abfs://events@myacct.dfs.core.windows.net/")).blobName()).isEmpty();
    }

    @Test
    void wasbAndHttpsPathsAndSovereignClouds() {
        assertThat(AzureBlobLocation.of(new Path("wasbs://events@myacct.blob.core.windows.net/raw")))
                .isEqualTo(new AzureBlobLocation("myacct", "events", "raw", "https://myacct.blob.core.windows.net"));
        assertThat(AzureBlobLocation.of(new Path("wasb://events@myacct.blob.core.windows.net/raw")).endpoint())
                .isEqualTo("https://myacct.blob.core.windows.net");
        assertThat(AzureBlobLocation.of(new Path("https://myacct.blob.core.windows.net/events/raw/x")))
                .isEqualTo(new AzureBlobLocation("myacct", "events", "raw/x", "https://myacct.blob.core.windows.net"));
        assertThat(AzureBlobLocation.of(new Path("abfss://events@myacct.dfs.core.chinacloudapi.cn/raw")).endpoint())
                .isEqualTo("https://myacct.blob.core.chinacloudapi.cn");
    }

    @Test
    void pathStyleUrlsOfEmulators() {
        assertThat(AzureBlobLocation.of(new Path("http://127.0.0.1:10000/devstoreaccount1/events/raw")))
                .isEqualTo(new AzureBlobLocation("devstoreaccount1", "events", "raw",
                        "http://127.0.0.1:10000/devstoreaccount1"));
    }

    @Test
    void childrenAreBelowThePrefix() {
        AzureBlobLocation root = AzureBlobLocation.of(new Path("abfss://events@myacct.dfs.core.windows.net"));
        assertThat(root.child("part-0")).isEqualTo("part-0");
        AzureBlobLocation prefixed = AzureBlobLocation.of(new Path("abfss://events@myacct.dfs.core.windows.net/a/b"));
        assertThat(prefixed.child("part-0")).isEqualTo("a/b/part-0");
    }

    @Test
    void badPathsAreNamedInTheError() {
        assertThatThrownBy(() -> AzureBlobLocation.of(new Path("s3://bucket/x")))
                .hasMessageContaining("s3://bucket/x").hasMessageContaining("abfs[s]://");
        assertThatThrownBy(() -> AzureBlobLocation.of(new Path("abfss://myacct.dfs.core.windows.net/x")))
                .hasMessageContaining("names no container");
        assertThatThrownBy(() -> AzureBlobLocation.of(new Path("abfss://Bad_Container@myacct.dfs.core.windows.net/x")))
                .hasMessageContaining("'Bad_Container' is not a valid container name");
        assertThatThrownBy(() -> AzureBlobLocation.of(new Path("wasbs://events@myacct.dfs.core.windows.net/x")))
                .hasMessageContaining("is not an account's blob host");
        assertThatThrownBy(() -> AzureBlobLocation.of(new Path("https://myacct.blob.core.windows.net/")))
                .hasMessageContaining("names no container");
    }
}
