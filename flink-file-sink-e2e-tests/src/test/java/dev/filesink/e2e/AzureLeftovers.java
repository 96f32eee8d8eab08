package dev.filesink.e2e;

import dev.filesink.e2e.servers.AzuriteServer;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a job may leave in an Azure container besides its finished blobs: blobs that exist only as uncommitted blocks
 * and that the service discards 7 days after their last write (docs/azure.md). Those are the sink's write-check
 * probes (one staged byte each, never committed) and, after a failure, the part files the failed attempt had opened
 * after its last checkpoint. Anything else staged, or any committed blob outside the destination, is a leak.
 */
final class AzureLeftovers {

    private static final String PROBE = "_filesink-write-check-[0-9a-f-]{36}";

    private AzureLeftovers() {}

    /** Blobs below the prefix with staged blocks, other than the write-check probes: part files not committed. */
    static List<String> stagedPartFiles(AzuriteServer azurite, String container, String prefix) {
        return azurite.blobsWithUncommittedBlocks(container, prefix).stream()
                .filter(name -> !name.substring(prefix.length()).matches(PROBE))
                .toList();
    }

    static void assertOnlyExpiringLeftovers(AzuriteServer azurite, String container, String prefix,
            boolean afterFailure) {
        Map<String, Long> committed = azurite.committedBlobs(container, "");
        List<String> staged = azurite.blobsWithUncommittedBlocks(container, "");
        List<String> probes = staged.stream()
                .filter(name -> name.startsWith(prefix) && name.substring(prefix.length()).matches(PROBE)).toList();
        List<String> partFiles = staged.stream().filter(name -> !probes.contains(name)).toList();
        System.out.printf("[%s] %d committed blobs; staged only: %d write-check probes, %d part files%n",
                container, committed.size(), probes.size(), partFiles.size());
        assertThat(committed.keySet()).as("blobs outside the destination").allSatisfy(
                name -> assertThat(name).startsWith(prefix));
        assertThat(partFiles).as("part files with staged blocks left").allSatisfy(name -> {
            assertThat(name).startsWith(prefix);
            assertThat(committed).as("a committed blob with staged blocks left").doesNotContainKey(name);
        });
        if (!afterFailure) {
            assertThat(partFiles).as("part files staged and never committed, without any failure").isEmpty();
        }
    }
}
