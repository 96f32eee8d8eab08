package dev.filesink.e2e.servers;

import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobListDetails;
import com.azure.storage.blob.models.BlockList;
import com.azure.storage.blob.models.BlockListType;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.common.StorageSharedKeyCredential;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Azurite's Blob service (installed from npm by the build, pinned by the Azure module's package-lock.json) as a
 * child process on a free loopback port, keeping its data in memory. Stopped by its process id.
 */
public final class AzuriteServer implements AutoCloseable {

    private static final int PARALLEL_DOWNLOADS = 8;

    /** Azurite's well-known development account and key, published in its documentation. */
    public static final String ACCOUNT = "devstoreaccount1";
    public static final String KEY =
            "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private final Process process;
    private final int port;
    private final Path log;

    private AzuriteServer(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    public static AzuriteServer start(Path logDir) throws IOException {
        Path bin = Path.of(System.getProperty("azurite.dir", "../flink-file-sink-azure/src/test/azurite"))
                .resolve("node_modules/.bin/azurite-blob");
        if (!Files.exists(bin)) {
            throw new IllegalStateException("Azurite is not installed at " + bin
                    + ": run the module's Maven build, which installs it with npm ci");
        }
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Files.createDirectories(logDir);
        Path log = logDir.resolve("azurite-" + port + ".log");
        ProcessBuilder builder = new ProcessBuilder("node", bin.toString(),
                "--blobHost", "127.0.0.1", "--blobPort", String.valueOf(port), "--inMemoryPersistence",
                "--disableTelemetry", "--skipApiVersionCheck", "--loose", "--silent")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("AZURITE_ACCEPT_EULA", "true");
        AzuriteServer server = new AzuriteServer(builder.start(), port, log);
        server.awaitListening();
        return server;
    }

    private void awaitListening() throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("Azurite exited with " + process.exitValue() + ": " + Files.readString(log));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("Interrupted while waiting for Azurite", e);
                }
            }
        }
        close();
        throw new IOException("Azurite did not listen on port " + port + " within 60 s: " + Files.readString(log));
    }

    /** The Blob endpoint, path style: {@code http://127.0.0.1:<port>/devstoreaccount1}. */
    public String endpoint() {
        return "http://127.0.0.1:" + port + "/" + ACCOUNT;
    }

    /** A sink destination in the emulator's path-style URL form. */
    public String destination(String container, String prefix) {
        return endpoint() + "/" + container + "/" + prefix;
    }

    public BlobContainerClient container(String name) {
        return new BlobServiceClientBuilder()
                .endpoint(endpoint())
                .credential(new StorageSharedKeyCredential(ACCOUNT, KEY))
                .httpClient(new JdkHttpClientBuilder().build())
                .buildClient()
                .getBlobContainerClient(name);
    }

    public BlobContainerClient createContainer(String name) {
        BlobContainerClient container = container(name);
        container.create();
        return container;
    }

    /** Committed (visible) blobs below the prefix, with their sizes. */
    public Map<String, Long> committedBlobs(String container, String prefix) {
        Map<String, Long> sizes = new LinkedHashMap<>();
        for (BlobItem item : container(container).listBlobs(new ListBlobsOptions().setPrefix(prefix), null)) {
            sizes.put(item.getName(), item.getProperties().getContentLength());
        }
        return sizes;
    }

    /** Every blob below the prefix with uncommitted blocks (a part file staged and never committed). */
    public List<String> blobsWithUncommittedBlocks(String container, String prefix) {
        List<String> names = new ArrayList<>();
        ListBlobsOptions options = new ListBlobsOptions().setPrefix(prefix)
                .setDetails(new BlobListDetails().setRetrieveUncommittedBlobs(true));
        BlobContainerClient client = container(container);
        for (BlobItem item : client.listBlobs(options, null)) {
            BlockList blocks = client.getBlobClient(item.getName()).getBlockBlobClient()
                    .listBlocks(BlockListType.UNCOMMITTED);
            if (!blocks.getUncommittedBlocks().isEmpty()) {
                names.add(item.getName());
            }
        }
        return names;
    }

    public byte[] bytes(String container, String name) {
        return container(container).getBlobClient(name).downloadContent().toBytes();
    }

    /**
     * All lines of all committed blobs below the prefix, in listing order; each blob must end with a whole line.
     * Downloads a few blobs at a time: one by one, a thousand blobs took half a minute on a busy machine.
     */
    public List<String> lines(String container, String prefix) {
        BlobContainerClient client = container(container);
        List<String> names = new ArrayList<>(committedBlobs(container, prefix).keySet());
        ExecutorService downloads = Executors.newFixedThreadPool(PARALLEL_DOWNLOADS);
        try {
            List<Future<String>> contents = new ArrayList<>();
            for (String name : names) {
                contents.add(downloads.submit(() -> client.getBlobClient(name).downloadContent().toString()));
            }
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                String content = contents.get(i).get();
                if (!content.isEmpty() && !content.endsWith("\n")) {
                    throw new AssertionError("Blob " + names.get(i) + " does not end with a whole record");
                }
                for (String line : content.split("\n")) {
                    if (!line.isEmpty()) {
                        lines.add(line);
                    }
                }
            }
            return lines;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while reading " + container + "/" + prefix, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Cannot read a blob of " + container + "/" + prefix, e.getCause());
        } finally {
            downloads.shutdownNow();
        }
    }

    /** Stops the emulator (and anything it started) by process id. */
    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
