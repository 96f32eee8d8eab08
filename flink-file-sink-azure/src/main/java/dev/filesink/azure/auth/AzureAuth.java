package dev.filesink.azure.auth;

import java.io.Serializable;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * How the sink authenticates to Blob Storage. Every secret stays inside these objects: {@link #toString()} names the
 * mode only, and {@link #secrets()} lists what error messages must never show.
 */
public abstract class AzureAuth implements Serializable {

    private static final long serialVersionUID = 1L;

    AzureAuth() {}

    /** A full connection string (as the portal or Azurite print it); its BlobEndpoint is used if it has one. */
    public static AzureAuth connectionString(String connectionString) {
        return new ConnectionString(connectionString);
    }

    /** Shared Key: the account's access key (the account name comes from the path or the builder). */
    public static AzureAuth accountKey(String accountKey) {
        return new AccountKey(accountKey);
    }

    /** A SAS token (account or container SAS with read, add, create and write permissions); a leading '?' is dropped. */
    public static AzureAuth sasToken(String sasToken) {
        return new SasToken(sasToken);
    }

    /**
     * Microsoft Entra ID through {@code DefaultAzureCredential}: environment, workload identity, managed identity,
     * Azure CLI and the other sources it tries in turn.
     *
     * @param managedIdentityClientId the client id of a user-assigned managed identity (or workload identity), or null
     * @param tenantId the tenant to authenticate in, or null for the default
     */
    public static AzureAuth defaultAzureCredential(String managedIdentityClientId, String tenantId) {
        return new DefaultCredential(managedIdentityClientId, tenantId);
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
    public static final class ConnectionString extends AzureAuth {
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
    public static final class AccountKey extends AzureAuth {
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
    public static final class SasToken extends AzureAuth {
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
    public static final class DefaultCredential extends AzureAuth {
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
