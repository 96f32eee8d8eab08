package dev.filesink.azure;

import org.apache.flink.core.fs.Path;

import java.net.URI;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Where a path points in Blob Storage: account, container, blob name (or prefix) and the Blob endpoint. Accepts the
 * path forms users know from Hadoop and the portal, and always addresses the Blob endpoint:
 *
 * <ul>
 *   <li>{@code abfs[s]://container@account.dfs.core.windows.net/prefix} (the DFS host is mapped to the Blob host)
 *   <li>{@code wasb[s]://container@account.blob.core.windows.net/prefix}
 *   <li>{@code https://account.blob.core.windows.net/container/prefix}
 *   <li>{@code http[s]://127.0.0.1:10000/account/container/prefix} (path style, as emulators such as Azurite use)
 * </ul>
 *
 * <p>Sovereign clouds work the same way: the host suffix after {@code dfs.} or {@code blob.} is kept.
 */
public record AzureBlobLocation(String account, String container, String blobName, String endpoint) {

    private static final Pattern CONTAINER = Pattern.compile("[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,62}");
    private static final Pattern ACCOUNT = Pattern.compile("[a-z0-9]{3,24}");

    public static AzureBlobLocation of(Path path) {
        return of(path.toUri(), path.toString());
    }

    public static AzureBlobLocation of(URI uri, String shown) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        switch (scheme) {
            case "abfs":
            case "abfss":
                return fromAuthorityForm(uri, shown, ".dfs.");
            case "wasb":
            case "wasbs":
                return fromAuthorityForm(uri, shown, ".blob.");
            case "http":
            case "https":
                return fromUrlForm(uri, shown, scheme);
            default:
                throw new IllegalArgumentException("Unsupported Azure path '" + shown + "': use abfs[s]://container@"
                        + "account.dfs.core.windows.net/prefix, wasb[s]://container@account.blob.core.windows.net/"
                        + "prefix or https://account.blob.core.windows.net/container/prefix");
        }
    }

    /** {@code scheme://container@account.(dfs|blob).suffix/prefix}. */
    private static AzureBlobLocation fromAuthorityForm(URI uri, String shown, String service) {
        String container = uri.getUserInfo();
        String host = uri.getHost();
        if (container == null || container.isEmpty() || host == null) {
            throw new IllegalArgumentException("Azure path '" + shown + "' names no container: expected "
                    + uri.getScheme() + "://container@account" + service + "core.windows.net/prefix");
        }
        host = host.toLowerCase(Locale.ROOT);
        int dot = host.indexOf(service);
        if (dot <= 0) {
            throw new IllegalArgumentException("Azure path '" + shown + "': host '" + host + "' is not an account's "
                    + service.substring(1, service.length() - 1) + " host (account" + service + "core.windows.net)");
        }
        String account = host.substring(0, dot);
        String suffix = host.substring(dot + service.length());
        String endpoint = "https://" + account + ".blob." + suffix + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
        return validated(account, container, blobName(uri.getPath()), endpoint, shown);
    }

    /** {@code https://account.blob.suffix/container/prefix} or path style {@code http://host:port/account/container/prefix}. */
    private static AzureBlobLocation fromUrlForm(URI uri, String shown, String scheme) {
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        String path = uri.getPath() == null ? "" : uri.getPath();
        String port = uri.getPort() > 0 ? ":" + uri.getPort() : "";
        int blobHost = host.indexOf(".blob.");
        String account;
        String endpoint;
        if (blobHost > 0) {
            account = host.substring(0, blobHost);
            endpoint = scheme + "://" + host + port;
        } else {
            // Path style: the account is the first path segment.
            String[] parts = path.replaceFirst("^/+", "").split("/", 2);
            if (host.isEmpty() || parts[0].isEmpty()) {
                throw new IllegalArgumentException("Azure path '" + shown + "' names no account: expected "
                        + "https://account.blob.core.windows.net/container/prefix");
            }
            account = parts[0];
            endpoint = scheme + "://" + host + port + "/" + account;
            path = parts.length > 1 ? parts[1] : "";
        }
        String[] parts = path.replaceFirst("^/+", "").split("/", 2);
        if (parts[0].isEmpty()) {
            throw new IllegalArgumentException("Azure path '" + shown + "' names no container: expected "
                    + "https://account.blob.core.windows.net/container/prefix");
        }
        return validated(account, parts[0], blobName(parts.length > 1 ? parts[1] : ""), endpoint, shown);
    }

    private static AzureBlobLocation validated(
            String account, String container, String blobName, String endpoint, String shown) {
        if (!ACCOUNT.matcher(account).matches()) {
            throw new IllegalArgumentException("Azure path '" + shown + "': '" + account + "' is not a valid storage "
                    + "account name (3-24 lowercase letters and digits)");
        }
        if (!CONTAINER.matcher(container).matches()) {
            throw new IllegalArgumentException("Azure path '" + shown + "': '" + container + "' is not a valid "
                    + "container name (3-63 lowercase letters, digits and single hyphens)");
        }
        return new AzureBlobLocation(account, container, blobName, endpoint);
    }

    /** The blob name below the container: the path without leading and trailing slashes. */
    private static String blobName(String path) {
        String name = path == null ? "" : path;
        name = name.replaceFirst("^/+", "");
        while (name.endsWith("/")) {
            name = name.substring(0, name.length() - 1);
        }
        return name;
    }

    /** The blob name of a child below this location (a prefix). */
    public String child(String name) {
        return blobName.isEmpty() ? name : blobName + "/" + name;
    }

    /** A readable form of a base location for messages: container, account and prefix. */
    public String describe() {
        return "container '" + container + "' of account '" + account + "'"
                + (blobName.isEmpty() ? "" : ", prefix '" + blobName + "'");
    }
}
