package dev.filesink.azure;

import dev.filesink.azure.client.AzureBlobErrors;
import dev.filesink.azure.client.AzureStorageException;
import dev.filesink.azure.client.Redactor;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RedactionTest {

    @Test
    void removesConfiguredSecretsAndAnythingShapedLikeOne() {
        Redactor redactor = new Redactor(List.of("my-account-key=="));
        String redacted = redactor.redact("key my-account-key== in https://a.blob.core.windows.net/c?sv=1&sig=ABC%2F123&se=2"
                + " and AccountKey=other/Key==;AccountName=a and SharedAccessSignature=sv=1&sig=zzz");
        assertThat(redacted)
                .doesNotContain("my-account-key")
                .doesNotContain("ABC%2F123")
                .doesNotContain("other/Key")
                .doesNotContain("zzz")
                .contains("sv=1&sig=<redacted>&se=2")
                .contains("AccountName=a");
    }

    @Test
    void translatedErrorsCarryNoSecretInMessageOrCauses() {
        String secret = "c2VjcmV0LWtleQ==";
        AzureBlobErrors errors = new AzureBlobErrors(new Redactor(List.of(secret)));
        RuntimeException sdkError = new RuntimeException("request to https://x/?sig=" + secret + " failed",
                new IllegalStateException("inner " + secret));
        AzureStorageException translated = errors.translate("stage block 0", sdkError);
        StringWriter trace = new StringWriter();
        translated.printStackTrace(new PrintWriter(trace));
        assertThat(trace.toString()).doesNotContain(secret).contains("stage block 0").contains("<redacted>");
        assertThat(translated.statusCode()).isZero();
    }
}
