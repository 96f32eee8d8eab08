package dev.filesink.s3.config;

import org.apache.flink.configuration.ReadableConfig;

import java.io.Serializable;
import java.util.Locale;

/**
 * How the sink authenticates to S3. Secrets are kept out of {@link #toString()}, logs and exception messages.
 *
 * <p>Build it with the factories below ({@link #staticKeys}, {@link #profile}, ...), not the record's constructor.
 *
 * <p>Prefer {@link #defaultChain()} (environment, system properties, profiles, container and instance roles, web
 * identity): then no secret travels with the job graph.
 */
public record S3Credentials(
        Mode mode,
        String accessKey,
        /* The secret key; only for building the SDK's credentials, never for printing. */
        String secretKey,
        String sessionToken,
        String profileName,
        String profileFile,
        String roleArn,
        String webIdentityTokenFile,
        String roleSessionName) implements Serializable {

    /** The credential sources. */
    public enum Mode {
        /** The SDK's default provider chain. */
        DEFAULT,
        /** A fixed access key and secret key, optionally with a session token. */
        STATIC,
        /** A named profile of the shared credentials and config files. */
        PROFILE,
        /** A web identity token file exchanged for a role's credentials through STS (EKS service accounts). */
        WEB_IDENTITY,
        /** No credentials: requests are not signed (public or test buckets). */
        ANONYMOUS
    }

    /** From {@code filesink.s3.credentials.provider} and the keys that provider needs; fails naming a missing key. */
    public static S3Credentials fromConfiguration(ReadableConfig config) {
        String provider = config.get(S3Options.CREDENTIALS_PROVIDER).trim().toLowerCase(Locale.ROOT).replace('_', '-');
        switch (provider) {
            case "default":
                return defaultChain();
            case "static":
                return staticKeys(
                        config.getOptional(S3Options.ACCESS_KEY).orElseThrow(() -> missing(S3Options.ACCESS_KEY.key(), provider)),
                        config.getOptional(S3Options.SECRET_KEY).orElseThrow(() -> missing(S3Options.SECRET_KEY.key(), provider)),
                        config.getOptional(S3Options.SESSION_TOKEN).orElse(null));
            case "profile":
                return profile(
                        config.getOptional(S3Options.PROFILE).orElseThrow(() -> missing(S3Options.PROFILE.key(), provider)),
                        config.getOptional(S3Options.PROFILE_FILE).orElse(null));
            case "web-identity":
                return webIdentity(
                        config.getOptional(S3Options.ROLE_ARN).orElse(null),
                        config.getOptional(S3Options.WEB_IDENTITY_TOKEN_FILE).orElse(null),
                        config.getOptional(S3Options.ROLE_SESSION_NAME).orElse(null));
            case "anonymous":
                return anonymous();
            default:
                throw new IllegalArgumentException("Option '" + S3Options.CREDENTIALS_PROVIDER.key() + "': unknown provider '"
                        + provider + "'; expected default, static, profile, web-identity or anonymous");
        }
    }

    private static IllegalArgumentException missing(String key, String provider) {
        return new IllegalArgumentException("Option '" + key + "' is required with credentials provider '" + provider + "'");
    }

    public static S3Credentials defaultChain() {
        return new S3Credentials(Mode.DEFAULT, null, null, null, null, null, null, null, null);
    }

    public static S3Credentials anonymous() {
        return new S3Credentials(Mode.ANONYMOUS, null, null, null, null, null, null, null, null);
    }

    public static S3Credentials staticKeys(String accessKey, String secretKey) {
        return staticKeys(accessKey, secretKey, null);
    }

    /** A fixed key pair with a session token (temporary credentials); the token may be null. */
    public static S3Credentials staticKeys(String accessKey, String secretKey, String sessionToken) {
        require(accessKey, "credentials: the access key must not be empty");
        require(secretKey, "credentials: the secret key must not be empty");
        return new S3Credentials(Mode.STATIC, accessKey, secretKey, emptyToNull(sessionToken), null, null, null, null, null);
    }

    /** A named profile; {@code profileFile} may be null for the default credentials and config files. */
    public static S3Credentials profile(String profileName, String profileFile) {
        require(profileName, "credentials: the profile name must not be empty");
        return new S3Credentials(Mode.PROFILE, null, null, null, profileName, emptyToNull(profileFile), null, null, null);
    }

    /**
     * A web identity: the token file is exchanged for credentials of the role. Any argument may be null to take
     * it from the environment ({@code AWS_ROLE_ARN}, {@code AWS_WEB_IDENTITY_TOKEN_FILE},
     * {@code AWS_ROLE_SESSION_NAME}).
     */
    public static S3Credentials webIdentity(String roleArn, String webIdentityTokenFile, String roleSessionName) {
        return new S3Credentials(Mode.WEB_IDENTITY, null, null, null, null, null,
                emptyToNull(roleArn), emptyToNull(webIdentityTokenFile), emptyToNull(roleSessionName));
    }

    @Override
    public String toString() {
        switch (mode) {
            case STATIC:
                // The access key id is not a secret, but even its full value helps an attacker: show a hint only.
                return "S3Credentials{static, accessKey=" + hint(accessKey) + ", secretKey=****"
                        + (sessionToken != null ? ", sessionToken=****" : "") + '}';
            case PROFILE:
                return "S3Credentials{profile=" + profileName + (profileFile != null ? ", file=" + profileFile : "") + '}';
            case WEB_IDENTITY:
                return "S3Credentials{web-identity, role=" + roleArn + ", tokenFile=" + webIdentityTokenFile + '}';
            default:
                return "S3Credentials{" + mode.name().toLowerCase(java.util.Locale.ROOT) + '}';
        }
    }

    private static String hint(String accessKey) {
        return accessKey.length() <= 4 ? "****" : accessKey.substring(0, 4) + "****";
    }

    private static void require(String value, String message) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(message);
        }
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
