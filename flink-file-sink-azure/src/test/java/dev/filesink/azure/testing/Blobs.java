package dev.filesink.azure.testing;

import dev.filesink.testing.FinishedFiles;
import dev.filesink.testing.VisibleOutputWatcher;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.ListBlobsOptions;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** Reads back what the sink committed to a container, and checks it against exactly-once. */
public final class Blobs {

    private Blobs() {}

    /** Visible (committed) blobs below the prefix, with their sizes, by name. */
    public static Map<String, Long> visible(BlobContainerClient container, String prefix) {
        Map<String, Long> sizes = new LinkedHashMap<>();
        for (BlobItem item : container.listBlobs(new ListBlobsOptions().setPrefix(prefix), null)) {
            sizes.put(item.getName(), item.getProperties().getContentLength());
        }
        return sizes;
    }

    /** Committed blobs below the prefix that readers see (no name starting with a dot), with their sizes, by name. */
    public static Map<String, Long> readable(BlobContainerClient container, String prefix) {
        Map<String, Long> sizes = new LinkedHashMap<>();
        visible(container, prefix).forEach((name, size) -> {
            if (!name.substring(name.lastIndexOf('/') + 1).startsWith(".")) {
                sizes.put(name, size);
            }
        });
        return sizes;
    }

    /** Every blob below the prefix, committed or with staged blocks only, with its committed size. */
    public static Map<String, Long> all(BlobContainerClient container, String prefix) {
        Map<String, Long> sizes = new LinkedHashMap<>();
        for (BlobItem item : container.listBlobs(new ListBlobsOptions().setPrefix(prefix)
                .setDetails(new com.azure.storage.blob.models.BlobListDetails().setRetrieveUncommittedBlobs(true)), null)) {
            sizes.put(item.getName(), item.getProperties().getContentLength());
        }
        return sizes;
    }

    /** Like {@link #watch(BlobContainerClient, String)}, for the blobs readers see (hidden names come and go). */
    public static VisibleOutputWatcher watchReadable(BlobContainerClient container, String prefix) {
        return new VisibleOutputWatcher("readable-blobs", () -> {
            Map<String, String> sizes = new LinkedHashMap<>();
            readable(container, prefix).forEach((name, size) -> sizes.put(name, size + " bytes"));
            return sizes;
        }, name -> {}, 50);
    }

    /**
     * Watches the committed blobs below the prefix while a job runs: none may change or disappear once visible, and
     * {@code onNewBlob} checks each when it first shows up (what it throws is a violation).
     */
    public static VisibleOutputWatcher watch(BlobContainerClient container, String prefix, Consumer<String> onNewBlob) {
        return new VisibleOutputWatcher("visible-blobs", () -> {
            Map<String, String> sizes = new LinkedHashMap<>();
            visible(container, prefix).forEach((name, size) -> sizes.put(name, size + " bytes"));
            return sizes;
        }, onNewBlob, 50);
    }

    public static VisibleOutputWatcher watch(BlobContainerClient container, String prefix) {
        return watch(container, prefix, name -> {});
    }

    /** Every line of every committed blob below the prefix. */
    public static List<String> lines(BlobContainerClient container, String prefix) {
        List<String> lines = new ArrayList<>();
        for (String name : visible(container, prefix).keySet()) {
            String content = container.getBlobClient(name).downloadContent().toString();
            assertThat(content).as("blob %s ends with a whole record", name).matches("(?s)(.*\n)?");
            for (String line : content.split("\n")) {
                if (!line.isEmpty()) {
                    lines.add(line);
                }
            }
        }
        return lines;
    }

    public static byte[] bytes(BlobContainerClient container, String name) {
        return container.getBlobClient(name).downloadContent().toBytes();
    }

    public static String text(BlobContainerClient container, String name) {
        return new String(bytes(container, name), StandardCharsets.UTF_8);
    }

    /** Asserts that the committed blobs hold test records 0..count-1, each exactly once. */
    public static void assertExactlyOnce(BlobContainerClient container, String prefix, long count) {
        FinishedFiles.assertRecordsExactlyOnce(lines(container, prefix), count);
    }
}
