package dev.filesink.hive;

import java.io.Serializable;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;

/** The metastore's Thrift URIs ({@code thrift://host:port}), checked once and printable without user info. */
final class MetastoreUris implements Serializable {

    private static final long serialVersionUID = 1L;

    private final List<String> uris;

    private MetastoreUris(List<String> uris) {
        this.uris = uris;
    }

    /** Checks each URI; a bad one fails naming it (its user info, if any, left out). */
    static MetastoreUris of(List<String> uris) {
        if (uris == null || uris.isEmpty()) {
            throw new IllegalArgumentException("No Hive Metastore URI given: expected thrift://host:port");
        }
        List<String> checked = new ArrayList<>();
        for (String uri : uris) {
            checked.add(check(uri));
        }
        return new MetastoreUris(List.copyOf(checked));
    }

    private static String check(String uri) {
        if (uri == null || uri.isBlank()) {
            throw new IllegalArgumentException("Blank Hive Metastore URI: expected thrift://host:port");
        }
        URI parsed;
        try {
            parsed = new URI(uri.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(
                    "Hive Metastore URI '" + withoutUserInfo(uri) + "' is not a URI: expected thrift://host:port");
        }
        if (!"thrift".equalsIgnoreCase(parsed.getScheme())
                || parsed.getHost() == null
                || parsed.getPort() < 0
                || (parsed.getPath() != null && !parsed.getPath().isEmpty())) {
            throw new IllegalArgumentException(
                    "Hive Metastore URI '" + withoutUserInfo(uri) + "' is not of the form thrift://host:port");
        }
        return uri.trim();
    }

    private static String withoutUserInfo(String uri) {
        int at = uri.indexOf('@');
        int schemeEnd = uri.indexOf("://");
        return at > schemeEnd && schemeEnd >= 0 ? uri.substring(0, schemeEnd + 3) + uri.substring(at + 1) : uri;
    }

    /** The value of Hive's {@code metastore.thrift.uris}. */
    String asConfValue() {
        return String.join(",", uris);
    }

    @Override
    public String toString() {
        List<String> printable = new ArrayList<>();
        for (String uri : uris) {
            printable.add(withoutUserInfo(uri));
        }
        return String.join(",", printable);
    }
}
