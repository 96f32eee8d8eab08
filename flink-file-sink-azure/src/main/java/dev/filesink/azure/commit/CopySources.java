package dev.filesink.azure.commit;

import dev.filesink.azure.AzureBlobDestination;
import dev.filesink.azure.config.AzureBlobCredentials;
import dev.filesink.azure.client.AzureBlobClientFactory;

import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import com.azure.core.http.HttpAuthorization;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.sas.BlobSasPermission;
import com.azure.storage.blob.sas.BlobServiceSasSignatureValues;

import javax.annotation.Nullable;

import java.time.Duration;
import java.time.OffsetDateTime;

/**
 * How the service is allowed to read a blob of this account as the source of a server-side copy, for each way the
 * sink authenticates. Source URLs may carry a SAS: they never go into a message or a log (the error translation
 * redacts {@code sig=} anyway).
 *
 * <ul>
 *   <li>Copy Blob, same account: the request's own Shared Key or Entra ID token authorizes the source; a SAS-token
 *       sink appends its SAS to the source URL.
 *   <li>Put Block From URL needs the source authorized by itself: Shared Key sinks sign a short-lived read-only SAS
 *       for the source blob, SAS-token sinks append theirs, Entra ID sinks send their bearer token as
 *       {@code x-ms-copy-source-authorization}.
 * </ul>
 */
public final class CopySources {

    private static final Duration SOURCE_SAS_LIFETIME = Duration.ofHours(1);
    private static final String STORAGE_SCOPE = "https://storage.azure.com/.default";

    private final AzureBlobDestination destination;
    private volatile TokenCredential tokenCredential;

    public CopySources(AzureBlobDestination destination) {
        this.destination = destination;
    }

    /** The source URL for Copy Blob within the account. */
    public String forCopyBlob(BlobClient source) {
        String sas = userSas();
        return sas == null ? source.getBlobUrl() : source.getBlobUrl() + "?" + sas;
    }

    /** The source URL for Put Block From URL. */
    public String forBlockFromUrl(BlobClient source) {
        String sas = userSas();
        if (sas == null && hasSharedKey()) {
            sas = source.generateSas(new BlobServiceSasSignatureValues(
                    OffsetDateTime.now().plus(SOURCE_SAS_LIFETIME), new BlobSasPermission().setReadPermission(true)));
        }
        return sas == null ? source.getBlobUrl() : source.getBlobUrl() + "?" + sas;
    }

    /** The bearer token that authorizes the source of a Put Block From URL, for Entra ID sinks; else null. */
    @Nullable
    public HttpAuthorization sourceAuthorization() {
        if (!(destination.credentials() instanceof AzureBlobCredentials.DefaultCredential entra)) {
            return null;
        }
        TokenCredential credential = tokenCredential;
        if (credential == null) {
            credential = AzureBlobClientFactory.tokenCredential(entra, AzureBlobClientFactory.jdkHttpClient(destination));
            tokenCredential = credential;
        }
        String token = credential.getTokenSync(new TokenRequestContext().addScopes(STORAGE_SCOPE)).getToken();
        return new HttpAuthorization("Bearer", token);
    }

    @Nullable
    private String userSas() {
        AzureBlobCredentials auth = destination.credentials();
        if (auth instanceof AzureBlobCredentials.SasToken sas) {
            return sas.token();
        }
        if (auth instanceof AzureBlobCredentials.ConnectionString connection
                && connection.part("AccountKey").isEmpty() && !connection.part("SharedAccessSignature").isEmpty()) {
            String sas = connection.part("SharedAccessSignature");
            return sas.startsWith("?") ? sas.substring(1) : sas;
        }
        return null;
    }

    private boolean hasSharedKey() {
        AzureBlobCredentials auth = destination.credentials();
        return auth instanceof AzureBlobCredentials.AccountKey
                || (auth instanceof AzureBlobCredentials.ConnectionString connection && !connection.part("AccountKey").isEmpty());
    }
}
