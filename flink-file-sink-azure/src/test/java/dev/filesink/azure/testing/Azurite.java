package dev.filesink.azure.testing;

import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.common.StorageSharedKeyCredential;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Azurite's Blob service as a child process on a free loopback port. Installed by the build ({@code npm ci} in
 * src/test/azurite); started in memory, or on disk when a test needs it to survive a restart. Stopped forcibly
 * (Azurite may ignore SIGTERM).
 */
public final class Azurite implements AutoCloseable {

    /** The emulator's well-known development account; public, documented by Azurite. */
    public static final String ACCOUNT = "devstoreaccount1";
    public static final String KEY =
            "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private final Path workspace;
    private final int port;
    private final Path log;
    private Process process;

    private Azurite(Path workspace, int port) throws IOException {
        this.workspace = workspace;
        this.port = port;
        this.log = Files.createTempFile("azurite-" + port + "-", ".log");
    }

    /** Azurite keeping everything in memory (lost when it stops). */
    public static Azurite inMemory() throws IOException {
        Azurite azurite = new Azurite(null, freePort());
        azurite.start();
        return azurite;
    }

    /** Azurite keeping its data in a folder, so that it survives {@link #stop()} and {@link #start()}. */
    public static Azurite onDisk(Path workspace) throws IOException {
        Azurite azurite = new Azurite(workspace, freePort());
        azurite.start();
        return azurite;
    }

    public synchronized void start() throws IOException {
        if (process != null && process.isAlive()) {
            return;
        }
        Path bin = azuriteDir().resolve("node_modules/.bin/azurite-blob");
        if (!Files.exists(bin)) {
            throw new IllegalStateException("Azurite is not installed at " + bin + ": run the module's Maven build "
                    + "(it runs npm ci in src/test/azurite)");
        }
        List<String> command = new ArrayList<>(List.of("node", bin.toString(),
                "--blobHost", "127.0.0.1", "--blobPort", String.valueOf(port),
                "--disableTelemetry", "--skipApiVersionCheck", "--loose", "--silent"));
        if (workspace == null) {
            command.add("--inMemoryPersistence");
        } else {
            command.add("--location");
            command.add(workspace.toString());
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put("AZURITE_ACCEPT_EULA", "true");
        process = builder.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("Azurite exited with " + process.exitValue() + ": " + Files.readString(log));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                sleep(100);
            }
        }
        stop();
        throw new IOException("Azurite did not listen on port " + port + " within 60 s: " + Files.readString(log));
    }

    /**
     * Asks the process to end (SIGTERM, so that an on-disk Azurite saves its metadata) and ends it forcibly if it
     * is still running after a few seconds.
     */
    public synchronized void stopGracefully() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stop();
    }

    /** Ends the process (and any child it started), forcibly. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    @Override
    public void close() {
        stop();
    }

    public int port() {
        return port;
    }

    /** The Blob endpoint, path style: {@code http://127.0.0.1:<port>/devstoreaccount1}. */
    public String endpoint() {
        return "http://127.0.0.1:" + port + "/" + ACCOUNT;
    }

    public String connectionString() {
        return "DefaultEndpointsProtocol=http;AccountName=" + ACCOUNT + ";AccountKey=" + KEY + ";BlobEndpoint="
                + endpoint() + ";";
    }

    /** A sink path in the abfss form; the endpoint override sends it to this Azurite. */
    public String abfsPath(String container, String prefix) {
        return "abfss://" + container + "@" + ACCOUNT + ".dfs.core.windows.net/" + prefix;
    }

    /** A client for the tests' own checks (independent of the sink's). */
    public BlobServiceClient client() {
        return new BlobServiceClientBuilder()
                .endpoint(endpoint())
                .credential(new StorageSharedKeyCredential(ACCOUNT, KEY))
                .httpClient(new JdkHttpClientBuilder().build())
                .buildClient();
    }

    public BlobContainerClient createContainer(String name) {
        BlobContainerClient container = client().getBlobContainerClient(name);
        container.create();
        return container;
    }

    private static Path azuriteDir() {
        String configured = System.getProperty("azurite.dir");
        if (configured != null) {
            return Paths.get(configured);
        }
        File moduleRelative = new File("src/test/azurite");
        return moduleRelative.toPath().toAbsolutePath();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
