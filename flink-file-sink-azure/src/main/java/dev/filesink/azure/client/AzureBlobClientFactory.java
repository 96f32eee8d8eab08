package dev.filesink.azure.client;

import dev.filesink.azure.AzureBlobDestination;
import dev.filesink.azure.config.AzureBlobCredentials;
import dev.filesink.azure.AzureBlobLocation;

import com.azure.core.credential.AzureSasCredential;
import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.policy.HttpLogDetailLevel;
import com.azure.core.http.policy.HttpLogOptions;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.common.StorageSharedKeyCredential;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;

import java.time.Duration;

/**
 * Builds the SDK's Blob service client for a destination and base location: the JDK's HTTP client (no Netty), the
 * destination's retries, request logging off (URLs may carry a SAS).
 */
public final class AzureBlobClientFactory {

    private AzureBlobClientFactory() {}

    /** The account this destination writes to; all names it is given must agree. */
    public static String accountOf(AzureBlobDestination destination, AzureBlobLocation base) {
        String account = base.account();
        checkSame(account, destination.accountName().orElse(null), "the builder's accountName", base);
        checkSame(account, destination.credentials().accountName().orElse(null), "the connection string's AccountName", base);
        return account;
    }

    /** The endpoint requests go to: the override, else the connection string's, else the path's Blob endpoint. */
    public static String endpointOf(AzureBlobDestination destination, AzureBlobLocation base) {
        if (destination.endpoint().isPresent()) {
            return destination.endpoint().get();
        }
        if (destination.credentials() instanceof AzureBlobCredentials.ConnectionString connection) {
            String blobEndpoint = connection.part("BlobEndpoint");
            if (!blobEndpoint.isEmpty()) {
                return blobEndpoint.replaceAll("/+$", "");
            }
        }
        return base.endpoint();
    }

    public static BlobServiceClient create(AzureBlobDestination destination, AzureBlobLocation base) {
        String account = accountOf(destination, base);
        String endpoint = endpointOf(destination, base);
        HttpClient http = jdkHttpClient(destination);
        BlobServiceClientBuilder builder = new BlobServiceClientBuilder()
                .httpClient(http)
                .httpLogOptions(new HttpLogOptions().setLogLevel(HttpLogDetailLevel.NONE))
                .retryOptions(new RequestRetryOptions(
                        RetryPolicyType.EXPONENTIAL,
                        destination.maxTries(),
                        destination.tryTimeout(),
                        destination.retryDelay(),
                        destination.maxRetryDelay(),
                        null));
        AzureBlobCredentials auth = destination.credentials();
        if (auth instanceof AzureBlobCredentials.ConnectionString connection) {
            builder.connectionString(connection.value()).endpoint(endpoint);
            // The connection string's key is used as is; the endpoint only overrides where requests go.
            if (!connection.part("AccountKey").isEmpty()) {
                builder.credential(new StorageSharedKeyCredential(account, connection.part("AccountKey")));
            }
        } else if (auth instanceof AzureBlobCredentials.AccountKey key) {
            builder.endpoint(endpoint).credential(new StorageSharedKeyCredential(account, key.key()));
        } else if (auth instanceof AzureBlobCredentials.SasToken sas) {
            builder.endpoint(endpoint).credential(new AzureSasCredential(sas.token()));
        } else if (auth instanceof AzureBlobCredentials.DefaultCredential entra) {
            builder.endpoint(endpoint).credential(tokenCredential(entra, http));
        } else {
            throw new IllegalArgumentException("Unsupported Azure authentication: " + auth.mode());
        }
        return builder.buildClient();
    }

    /** {@code DefaultAzureCredential} as configured. */
    public static TokenCredential tokenCredential(AzureBlobCredentials.DefaultCredential entra, HttpClient http) {
        DefaultAzureCredentialBuilder credential = new DefaultAzureCredentialBuilder().httpClient(http);
        entra.managedIdentityClientId().ifPresent(id -> {
            credential.managedIdentityClientId(id);
            credential.workloadIdentityClientId(id);
        });
        entra.tenantId().ifPresent(credential::tenantId);
        return credential.build();
    }

    /** The JDK's HTTP client (no Netty), through our own small adapter; see {@link JdkHttpTransport}. */
    public static HttpClient jdkHttpClient(AzureBlobDestination destination) {
        return new JdkHttpTransport(Duration.ofSeconds(10), destination.tryTimeout());
    }

    private static void checkSame(String account, String other, String source, AzureBlobLocation base) {
        if (other != null && !other.equalsIgnoreCase(account)) {
            throw new IllegalArgumentException("Azure account mismatch: the path names account '" + account
                    + "' (" + base.describe() + ") but " + source + " is '" + other + "'");
        }
    }
}
