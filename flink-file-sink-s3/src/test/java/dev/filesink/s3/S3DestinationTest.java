package dev.filesink.s3;

import dev.filesink.s3.config.S3Credentials;
import dev.filesink.s3.config.S3Options;
import dev.filesink.s3.config.ServerSideEncryption;
import dev.filesink.s3.writer.ETags;
import dev.filesink.s3.writer.StagingLayout;
import dev.filesink.s3.writer.UploadedPart;

import org.apache.flink.core.fs.Path;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Settings, paths and names: pure logic, no server. */
class S3DestinationTest {

    @Test
    void configurationKeysMapToTheSettings() {
        S3Destination destination = S3Destination.fromMap(Map.ofEntries(
                Map.entry("filesink.s3.region", "eu-west-1"),
                Map.entry("filesink.s3.endpoint", "http://127.0.0.1:9000"),
                Map.entry("filesink.s3.path-style-access", "true"),
                Map.entry("filesink.s3.credentials.provider", "static"),
                Map.entry("filesink.s3.credentials.access-key", "AKIAEXAMPLE"),
                Map.entry("filesink.s3.secret.secret-key", "super-secret-value"),
                Map.entry("filesink.s3.sse", "sse-kms"),
                Map.entry("filesink.s3.sse.kms-key-id", "alias/sink"),
                Map.entry("filesink.s3.storage-class", "standard_ia"),
                Map.entry("filesink.s3.upload.part-size", "32mb"),
                Map.entry("filesink.s3.upload.threads", "6"),
                Map.entry("filesink.s3.buffer.memory", "64mb"),
                Map.entry("filesink.s3.checkpoint.inline-tail-limit", "0"),
                Map.entry("filesink.s3.conditional-writes", "false"),
                Map.entry("filesink.s3.checksums", "false"),
                Map.entry("filesink.s3.retry.max-attempts", "3"),
                Map.entry("filesink.s3.timeout.api-call", "5 min")));
        assertThat(destination.region()).isEqualTo("eu-west-1");
        assertThat(destination.endpoint()).hasToString("http://127.0.0.1:9000");
        assertThat(destination.pathStyleAccess()).isTrue();
        assertThat(destination.credentials().mode()).isEqualTo(S3Credentials.Mode.STATIC);
        assertThat(destination.serverSideEncryption().kind()).isEqualTo(ServerSideEncryption.Kind.SSE_KMS);
        assertThat(destination.serverSideEncryption().kmsKeyId()).isEqualTo("alias/sink");
        assertThat(destination.storageClass()).isEqualTo("STANDARD_IA");
        assertThat(destination.partSize()).isEqualTo(32L * 1024 * 1024);
        assertThat(destination.uploadThreads()).isEqualTo(6);
        assertThat(destination.bufferMemory()).isEqualTo(64L * 1024 * 1024);
        assertThat(destination.inlineTailLimit()).isZero();
        assertThat(destination.conditionalWrites()).isFalse();
        assertThat(destination.checksums()).isFalse();
        assertThat(destination.retryMaxAttempts()).isEqualTo(3);
        assertThat(destination.apiCallTimeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(destination.toString()).doesNotContain("super-secret-value").doesNotContain("AKIAEXAMPLE");
    }

    @Test
    void secretsStayOutOfToStringForEveryMode() {
        assertThat(S3Credentials.staticKeys("AKIAEXAMPLE", "s3cr3t", "t0ken").toString())
                .doesNotContain("s3cr3t").doesNotContain("t0ken").doesNotContain("AKIAEXAMPLE");
        assertThat(S3Credentials.profile("prod", null).toString()).contains("prod");
        assertThat(S3Credentials.webIdentity("arn:aws:iam::1:role/r", "/var/token", null).toString()).contains("role/r");
        assertThat(S3Credentials.defaultChain().toString()).contains("default");
    }

    @Test
    void badSettingsAreNamed() {
        assertThatThrownBy(() -> S3Destination.builder().partSize(1024).build()).hasMessageContaining("partSize");
        assertThatThrownBy(() -> S3Destination.builder().endpoint("127.0.0.1:9000")).hasMessageContaining("endpoint");
        assertThatThrownBy(() -> S3Destination.builder().uploadThreads(0).build()).hasMessageContaining("uploadThreads");
        assertThatThrownBy(() -> S3Destination.fromMap(Map.of("filesink.s3.credentials.provider", "static")))
                .hasMessageContaining("filesink.s3.credentials.access-key");
        assertThatThrownBy(() -> S3Destination.fromMap(Map.of("filesink.s3.credentials.provider", "magic")))
                .hasMessageContaining("magic");
        assertThatThrownBy(() -> S3Destination.fromMap(Map.of("filesink.s3.sse", "rot13")))
                .hasMessageContaining("rot13");
        assertThatThrownBy(() -> S3Location.of(new Path("hdfs://nn/out"))).hasMessageContaining("s3://bucket");
    }

    @Test
    void theFormerSecretKeysStillWork() {
        S3Destination destination = S3Destination.fromMap(Map.of(
                "filesink.s3.credentials.provider", "static",
                "filesink.s3.credentials.access-key", "AKIAEXAMPLE",
                "filesink.s3.credentials.secret-key", "old-secret-value",
                "filesink.s3.credentials.session-token", "old-session-token"));
        assertThat(destination.credentials().mode()).isEqualTo(S3Credentials.Mode.STATIC);
        assertThat(destination.credentials().secretKey()).isEqualTo("old-secret-value");
        assertThat(destination.credentials().sessionToken()).isEqualTo("old-session-token");
    }

    @Test
    void everyDefaultIsTheOptionsDefault() {
        S3Destination built = S3Destination.builder().build();
        S3Destination configured = S3Destination.fromMap(Map.of());
        assertThat(built.toString()).isEqualTo(configured.toString());
        assertThat(built.partSize()).isEqualTo(S3Options.PART_SIZE.defaultValue().getBytes());
        assertThat(built.conditionalWrites()).isEqualTo(S3Options.CONDITIONAL_WRITES.defaultValue());
        assertThat(built.checksums()).isEqualTo(S3Options.CHECKSUMS.defaultValue());
        assertThat(built.pathStyleAccess()).isEqualTo(S3Options.PATH_STYLE_ACCESS.defaultValue());
        assertThat(built.socketTimeout()).isEqualTo(S3Options.SOCKET_TIMEOUT.defaultValue());
        assertThat(built.inlineTailLimit()).isEqualTo(S3Options.INLINE_TAIL_LIMIT.defaultValue().getBytes());
    }

    @Test
    void pathsWithBothSchemesNameBucketAndKey() {
        assertThat(S3Location.of(new Path("s3://bucket/a/b/"))).isEqualTo(new S3Location("bucket", "a/b"));
        assertThat(S3Location.of(new Path("s3a://bucket/a"))).isEqualTo(new S3Location("bucket", "a"));
        assertThat(S3Location.of(new Path("s3://bucket")).folderPrefix()).isEmpty();
    }

    @Test
    void stagingKeysNeverLiveBelowAFinalKey() {
        StagingLayout layout = new StagingLayout(new S3Location("b", "out"), null);
        String token = StagingLayout.newToken();
        String key = layout.tailKey("out/2024-01-01/part-u-7", token, 3);
        assertThat(key).isEqualTo("out/_filesink-staging/2024-01-01/part-u-7." + token + ".3.tail");
        assertThat(key).doesNotStartWith("out/2024-01-01/part-u-7/");
        assertThat(StagingLayout.finalNameOf(key)).isEqualTo("part-u-7");
        assertThat(StagingLayout.finalNameOf("out/_filesink-staging/x.txt")).isNull();
        assertThat(new StagingLayout(new S3Location("b", ""), "tmp/staging").prefix()).isEqualTo("tmp/staging/");
    }

    @Test
    void multipartEtagFollowsS3sRule() {
        // Part ETags and the completed ETag as s3proxy returned them for a 5 MiB part of 'a' and "tail".
        List<UploadedPart> parts = List.of(
                new UploadedPart(1, "\"79b281060d337b9b2b84ccf390adcf74\"", 5 * 1024 * 1024),
                new UploadedPart(2, "\"7aea2552dfe7eb84b9443b6fc9ba6e01\"", 4));
        assertThat(ETags.ofMultipart(parts)).isEqualTo("30dcfd3901d1c613b7fb532281748544-2");
        assertThat(ETags.ofContent("tail".getBytes())).isEqualTo("7aea2552dfe7eb84b9443b6fc9ba6e01");
        assertThat(ETags.ofMultipart(List.of(new UploadedPart(1, "opaque", 1)))).isNull();
    }

    @Test
    void theStorageIsSerializable() throws Exception {
        S3Storage storage = S3Storage.of(S3Destination.builder().region("us-east-1").build());
        try (ObjectOutputStream out = new ObjectOutputStream(new ByteArrayOutputStream())) {
            out.writeObject(storage);
        }
    }
}
