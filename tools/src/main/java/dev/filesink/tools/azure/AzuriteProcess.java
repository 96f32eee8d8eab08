package dev.filesink.tools.azure;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Azurite's Blob service (in memory) as a child process on a free loopback port, ended forcibly afterwards. */
public final class AzuriteProcess implements AutoCloseable {

    public static final String ACCOUNT = "devstoreaccount1";
    /** Azurite's public, documented development key. */
    public static final String KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private final Process process;
    private final int port;

    public AzuriteProcess(Path azuriteDir) throws IOException, InterruptedException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            port = socket.getLocalPort();
        }
        Path bin = azuriteDir.resolve("node_modules/.bin/azurite-blob");
        if (!Files.exists(bin)) {
            throw new IOException("Azurite is not installed at " + bin + " (run npm ci there)");
        }
        Path log = Files.createTempFile("azurite-bench-", ".log");
        process = new ProcessBuilder(List.of("node", bin.toString(), "--blobHost", "127.0.0.1", "--blobPort",
                String.valueOf(port), "--inMemoryPersistence", "--disableTelemetry", "--skipApiVersionCheck", "--loose",
                "--silent"))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                if (!process.isAlive()) {
                    throw new IOException("Azurite exited: " + Files.readString(log));
                }
                Thread.sleep(100);
            }
        }
        close();
        throw new IOException("Azurite did not start: " + Files.readString(log));
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port + "/" + ACCOUNT;
    }

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
