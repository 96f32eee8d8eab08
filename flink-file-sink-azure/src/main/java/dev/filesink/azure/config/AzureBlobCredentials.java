package dev.filesink.azure.config;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ReadableConfig;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * How the sink authenticates to Blob Storage. Every secret stays inside these objects: {@link #toString()} names the
 * mode only, and {@link #secrets()} lists what error messages must never show.
 */
public abstract class AzureBlobCredentials implements Serializable {

    private static final long serialVersionUID = 1L;

    AzureBlobCredentials() {}

    /** A full connection string (as the portal or Azurite print it); its BlobEndpoint is used if it has one. */
    public static AzureBlobCredentials connectionString(String connectionString) {
        return new ConnectionString(connectionString);
    }

    /** Shared Key: the account's access key (the account name comes from the path or the builder). */
    public static AzureBlobCredentials accountKey(String accountKey) {
        return new AccountKey(accountKey);
    }

    /** A SAS token (account or container SAS with read, add, create and write permissions); a leading '?' is dropped. */
    public static AzureBlobCredentials sasToken(String sasToken) {
        return new SasToken(sasToken);
    }

    /**
     * Microsoft Entra ID through {@code DefaultAzureCredential}: environment, workload identity, managed identity,
     * Azure CLI and the other sources it tries in turn.
     *
     * @param managedIdentityClientId the client id of a user-assigned managed identity (or workload identity), or null
     * @param tenantId the tenant to authenticate in, or null for the default
     */
    public static AzureBlobCredentials defaultAzureCredential(String managedIdentityClientId, String tenantId) {
        return new DefaultCredential(managedIdentityClientId, tenantId);
    }

    /**
     * From {@code filesink.azure.credentials.provider} and the secret it needs (the provider may be left out when
     * exactly one secret is set); fails naming the key that is missing or wrong.
     */
    public static AzureBlobCredentials fromConfiguration(ReadableConfig conf) {
        String type = conf.getOptional(AzureBlobOptions.CREDENTIALS_PROVIDER).map(t -> t.trim().toLowerCase(Locale.ROOT)).orElseGet(() -> inferType(conf));
        switch (type) {
            case "account-key":
                return accountKey(requiredKey(conf, AzureBlobOptions.ACCOUNT_KEY, type));
            case "sas-token":
                return sasToken(requiredKey(conf, AzureBlobOptions.SAS_TOKEN, type));
            case "connection-string":
                return connectionString(requiredKey(conf, AzureBlobOptions.CONNECTION_STRING, type));
            case "default-azure-credential":
                return defaultAzureCredential(conf.get(AzureBlobOptions.MANAGED_IDENTITY_CLIENT_ID), conf.get(AzureBlobOptions.TENANT_ID));
            default:
                throw new IllegalArgumentException(AzureBlobOptions.CREDENTIALS_PROVIDER.key() + " must be account-key, sas-token, "
                        + "connection-string or default-azure-credential, was '" + type + "'");
        }
    }

    private static String inferType(ReadableConfig conf) {
        List<String> set = new ArrayList<>();
        if (conf.getOptional(AzureBlobOptions.ACCOUNT_KEY).isPresent()) {
            set.add("account-key");
        }
        if (conf.getOptional(AzureBlobOptions.SAS_TOKEN).isPresent()) {
            set.add("sas-token");
        }
        if (conf.getOptional(AzureBlobOptions.CONNECTION_STRING).isPresent()) {
            set.add("connection-string");
        }
        if (set.size() == 1) {
            return set.get(0);
        }
        if (set.isEmpty()) {
            throw new IllegalArgumentException("Azure Blob sink: no authentication configured; set one of "
                    + AzureBlobOptions.ACCOUNT_KEY.key() + ", " + AzureBlobOptions.SAS_TOKEN.key() + ", " + AzureBlobOptions.CONNECTION_STRING.key() + ", or "
                    + AzureBlobOptions.CREDENTIALS_PROVIDER.key() + ": default-azure-credential");
        }
        throw new IllegalArgumentException("Azure Blob sink: several secrets are configured (" + String.join(", ", set)
                + "); choose one with " + AzureBlobOptions.CREDENTIALS_PROVIDER.key());
    }

    private static String requiredKey(ReadableConfig conf, ConfigOption<String> option, String type) {
        String value = conf.get(option);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(AzureBlobOptions.CREDENTIALS_PROVIDER.key() + " is " + type + " but " + option.key() + " is not set");
        }
        return value;
    }

    /** The mode's name for messages and logs. */
    public abstract String mode();

    /** Strings that must not appear in any message, log or exception. */
    public abstract List<String> secrets();

    /** The account name this credential carries, if it carries one (connection strings do). */
    public Optional<String> accountName() {
        return Optional.empty();
    }

    @Override
    public final String toString() {
        return mode();
    }

    static String required(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("Azure authentication: the " + what + " must not be empty");
        }
        return value.trim();
    }

    /** A connection string with AccountName, AccountKey or SharedAccessSignature, and optionally BlobEndpoint. */
    public static final class ConnectionString extends AzureBlobCredentials {
        private static final long serialVersionUID = 1L;
        private final String value;

        ConnectionString(String value) {
            this.value = required(value, "connection string");
        }

        public String value() {
            return value;
        }

        @Override
        public String mode() {
            return "connection string";
        }

        @Override
        public List<String> secrets() {
            return List.of(value, part("AccountKey"), part("SharedAccessSignature"));
        }

        @Override
        public Optional<String> accountName() {
            String name = part("AccountName");
            return name.isEmpty() ? Optional.empty() : Optional.of(name.toLowerCase(Locale.ROOT));
        }

        /** The value of one {@code Key=value} setting, or "" (the key is matched case-insensitively). */
        public String part(String key) {
            for (String setting : value.split(";")) {
                int equals = setting.indexOf('=');
                if (equals > 0 && setting.substring(0, equals).trim().equalsIgnoreCase(key)) {
                    return setting.substring(equals + 1).trim();
                }
            }
            return "";
        }
    }

    /** Shared Key authentication with the account key. */
    public static final class AccountKey extends AzureBlobCredentials {
        private static final long serialVersionUID = 1L;
        private final String key;

        AccountKey(String key) {
            this.key = required(key, "account key");
        }

        public String key() {
            return key;
        }

        @Override
        public String mode() {
            return "account key";
        }

        @Override
        public List<String> secrets() {
            return List.of(key);
        }
    }

    /** A shared access signature. */
    public static final class SasToken extends AzureBlobCredentials {
        private static final long serialVersionUID = 1L;
        private final String token;

        SasToken(String token) {
            String trimmed = required(token, "SAS token");
            this.token = trimmed.startsWith("?") ? trimmed.substring(1) : trimmed;
        }

        public String token() {
            return token;
        }

        @Override
        public String mode() {
            return "SAS token";
        }

        @Override
        public List<String> secrets() {
            return List.of(token);
        }
    }

    /** {@code DefaultAzureCredential}; it holds no secret itself. */
    public static final class DefaultCredential extends AzureBlobCredentials {
        private static final long serialVersionUID = 1L;
        private final String managedIdentityClientId;
        private final String tenantId;

        DefaultCredential(String managedIdentityClientId, String tenantId) {
            this.managedIdentityClientId = blankToNull(managedIdentityClientId);
            this.tenantId = blankToNull(tenantId);
        }

        public Optional<String> managedIdentityClientId() {
            return Optional.ofNullable(managedIdentityClientId);
        }

        public Optional<String> tenantId() {
            return Optional.ofNullable(tenantId);
        }

        @Override
        public String mode() {
            return "DefaultAzureCredential"
                    + (managedIdentityClientId != null ? " (managed identity client id " + managedIdentityClientId + ")" : "")
                    + (tenantId != null ? " (tenant " + tenantId + ")" : "");
        }

        @Override
        public List<String> secrets() {
            return List.of();
        }

        private static String blankToNull(String value) {
            return value == null || value.isBlank() ? null : value.trim();
        }
    }
}
