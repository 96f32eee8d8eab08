package dev.filesink.example;

import org.apache.flink.configuration.ReadableConfig;

import java.util.Locale;
import java.util.Map;

/** Picks the destination a {@code --destination} value names. */
final class Destinations {

    static final String SUPPORTED = "a local folder (path or file:///...), s3://bucket/prefix (or s3a://), "
            + "abfs[s]://container@account.dfs.core.windows.net/prefix, wasb[s]://container@account.blob.core.windows.net/prefix, "
            + "https://account.blob.core.windows.net/container/prefix or an emulator's http://host:port/account/container/prefix";

    private Destinations() {}

    static Destination parse(String destination, ReadableConfig flinkConfig, Map<String, String> connectorOptions) {
        if (destination == null || destination.isBlank()) {
            throw new IllegalArgumentException("Option --destination must not be empty.");
        }
        String lower = destination.toLowerCase(Locale.ROOT);
        int schemeEnd = lower.indexOf("://");
        String scheme = schemeEnd > 0 ? lower.substring(0, schemeEnd) : (lower.startsWith("file:") ? "file" : "");
        Destination parsed;
        try {
            switch (scheme) {
                case "":
                case "file":
                    parsed = LocalFolderDestination.parse(destination);
                    break;
                case "s3":
                case "s3a":
                    parsed = S3BucketDestination.parse(destination, flinkConfig, connectorOptions);
                    break;
                case "abfs":
                case "abfss":
                case "wasb":
                case "wasbs":
                case "http":
                case "https":
                    parsed = AzureBlobContainerDestination.parse(destination, flinkConfig, connectorOptions);
                    break;
                default:
                    throw new IllegalArgumentException("unsupported destination '" + destination + "'. Supported: "
                            + SUPPORTED + ".");
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Option --destination: " + e.getMessage(), e);
        }
        rejectOptionsOfOtherDestinations(parsed, connectorOptions);
        return parsed;
    }

    /** --filesink.s3.* with an Azure destination (or the other way round) is a mistake worth naming. */
    private static void rejectOptionsOfOtherDestinations(Destination destination, Map<String, String> options) {
        for (String key : options.keySet()) {
            boolean s3 = key.startsWith("filesink.s3.");
            boolean azure = key.startsWith("filesink.azure.");
            if ((s3 && !(destination instanceof S3BucketDestination))
                    || (azure && !(destination instanceof AzureBlobContainerDestination))
                    || (!s3 && !azure)) {
                throw new IllegalArgumentException("Option --" + key + " does not apply to " + destination.describe());
            }
        }
    }
}
