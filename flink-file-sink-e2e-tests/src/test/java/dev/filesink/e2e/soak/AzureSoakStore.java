package dev.filesink.e2e.soak;

import dev.filesink.e2e.ExampleJobArgs;
import dev.filesink.e2e.servers.AzuriteServer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Azurite behind a fault proxy: every open part file is a blob with staged (uncommitted) blocks. */
final class AzureSoakStore implements SoakStore {

    private static final String CONTAINER = "soak";
    private static final String PREFIX = "out/";
    /** The sink's write-check probes: one staged byte each, never committed (docs/azure.md). */
    private static final String PROBE = "_filesink-write-check-[0-9a-f-]{36}";

    private final AzuriteServer azurite;
    private final StorageFaultProxy proxy;

    AzureSoakStore(AzuriteServer azurite) throws IOException {
        this.azurite = azurite;
        azurite.createContainer(CONTAINER);
        String endpoint = azurite.endpoint(); // http://127.0.0.1:<port>/devstoreaccount1
        int port = Integer.parseInt(endpoint.substring("http://127.0.0.1:".length(), endpoint.lastIndexOf('/')));
        this.proxy = new StorageFaultProxy("azure", port, "ServerBusy");
    }

    @Override
    public String name() {
        return "azure";
    }

    @Override
    public String destination() {
        return "http://127.0.0.1:" + proxy.port() + "/" + AzuriteServer.ACCOUNT + "/" + CONTAINER + "/out";
    }

    @Override
    public StorageFaultProxy proxy() {
        return proxy;
    }

    @Override
    public ExampleJobArgs args(ExampleJobArgs common) {
        return common.destination(destination());
    }

    /** Committed blobs without a hidden segment ("_..." or "..."): what a reader of the destination sees. */
    @Override
    public Map<String, Long> finished() {
        Map<String, Long> finished = new java.util.LinkedHashMap<>();
        azurite.committedBlobs(CONTAINER, PREFIX).forEach((name, size) -> {
            if (!hidden(name)) {
                finished.put(name, size);
            }
        });
        return finished;
    }

    private static boolean hidden(String name) {
        for (String segment : name.substring(PREFIX.length()).split("/")) {
            if (segment.startsWith("_") || segment.startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    @Override
    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        for (String name : finished().keySet()) {
            String content = new String(azurite.bytes(CONTAINER, name), java.nio.charset.StandardCharsets.UTF_8);
            if (!content.isEmpty() && !content.endsWith("\n")) {
                throw new IllegalStateException("Blob " + name + " does not end with a whole record");
            }
            for (String line : content.split("\n")) {
                if (!line.isEmpty()) {
                    lines.add(line);
                }
            }
        }
        return lines;
    }

    /**
     * Blobs with only staged blocks expire by themselves (the write-check probes, and part files a failed attempt
     * opened after its last checkpoint). A committed blob with staged blocks left, or anything outside the
     * destination, is a leak.
     */
    @Override
    public Leftovers leftovers() {
        Map<String, Long> committed = azurite.committedBlobs(CONTAINER, "");
        List<String> staged = azurite.blobsWithUncommittedBlocks(CONTAINER, "");
        List<String> leaks = new ArrayList<>();
        List<String> expiring = new ArrayList<>();
        int probes = 0;
        for (String name : staged) {
            if (!name.startsWith(PREFIX)) {
                leaks.add("staged blob outside the destination " + name);
            } else if (committed.containsKey(name)) {
                leaks.add("committed blob with staged blocks left " + name);
            } else if (name.substring(PREFIX.length()).matches(PROBE)) {
                probes++;
                expiring.add(name);
            } else {
                expiring.add(name);
            }
        }
        committed.keySet().stream().filter(name -> !name.startsWith(PREFIX))
                .forEach(name -> leaks.add("blob outside the destination " + name));
        committed.keySet().stream().filter(name -> name.startsWith(PREFIX) && hidden(name))
                .forEach(name -> leaks.add("committed unfinished (hidden) blob " + name));
        String summary = String.format("%d blobs with only staged blocks (%d write-check probes, %d part files of "
                + "failed attempts), all discarded by the service 7 days after their last write",
                expiring.size(), probes, expiring.size() - probes);
        return new Leftovers(leaks, expiring, summary);
    }
}
