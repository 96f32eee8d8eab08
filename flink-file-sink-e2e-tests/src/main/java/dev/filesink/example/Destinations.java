package dev.filesink.example;

import java.util.Locale;

/** Picks the destination a {@code --destination} value names. */
final class Destinations {

    private Destinations() {}

    static Destination parse(String destination) {
        if (destination == null || destination.isBlank()) {
            throw new IllegalArgumentException("Option --destination must not be empty.");
        }
        String lower = destination.toLowerCase(Locale.ROOT);
        int schemeEnd = lower.indexOf("://");
        String scheme = schemeEnd > 0 ? lower.substring(0, schemeEnd) : (lower.startsWith("file:") ? "file" : "");
        switch (scheme) {
            case "":
            case "file":
                return LocalFolderDestination.parse(destination);
            default:
                throw new IllegalArgumentException("Option --destination: unsupported destination '" + destination
                        + "'. Supported: a local folder (path or file:///...).");
        }
    }
}
