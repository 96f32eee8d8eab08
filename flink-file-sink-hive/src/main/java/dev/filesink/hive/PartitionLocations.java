package dev.filesink.hive;

import java.net.URI;

/** Compares partition locations as the metastore stores them with the locations the sink announces. */
final class PartitionLocations {

    private PartitionLocations() {}

    /**
     * True if both name the same directory: scheme and authority compared ignoring case, {@code file:/x} equal to
     * {@code file:///x}, trailing slashes and {@code .} segments ignored.
     */
    static boolean same(String a, String b) {
        return a != null && b != null && normalize(a).equals(normalize(b));
    }

    private static String normalize(String location) {
        URI uri;
        try {
            uri = new URI(location.trim()).normalize();
        } catch (java.net.URISyntaxException e) {
            return location.trim();
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        String authority = uri.getRawAuthority() == null ? "" : uri.getRawAuthority().toLowerCase(java.util.Locale.ROOT);
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        while (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return scheme + "://" + authority + path;
    }

    /** {@code location} with its scheme replaced, for readers that name the store differently (s3 versus s3a). */
    static String withScheme(String location, String fromScheme, String toScheme) {
        String prefix = fromScheme + ":";
        if (location.regionMatches(true, 0, prefix, 0, prefix.length())) {
            return toScheme + ":" + location.substring(prefix.length());
        }
        return location;
    }
}
