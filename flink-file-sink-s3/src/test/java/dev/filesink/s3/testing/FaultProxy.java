package dev.filesink.s3.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on 127.0.0.1 in front of the S3 server that, for a while, answers every request with an HTTP error
 * (503 SlowDown or 500) instead of forwarding it. Starting a fault window drops the open connections, so pooled
 * connections see the faults too.
 */
public final class FaultProxy implements AutoCloseable {

    private final int upstreamPort;
    private final ServerSocket server;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger faultsServed = new AtomicInteger();
    private final AtomicInteger forwarded = new AtomicInteger();
    private volatile long faultUntilNanos;
    private volatile int faultStatus = 503;
    private volatile boolean running = true;

    public FaultProxy(int upstreamPort) throws IOException {
        this.upstreamPort = upstreamPort;
        this.server = new ServerSocket();
        this.server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread acceptor = new Thread(this::accept, "fault-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public String endpoint() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /** Every request in the coming period is answered with the status (503 or 500) instead of being forwarded. */
    public void failFor(Duration period, int status) {
        faultStatus = status;
        faultUntilNanos = System.nanoTime() + period.toNanos();
        for (Socket socket : open) {
            closeQuietly(socket);
        }
    }

    public int connectionsForwarded() {
        return forwarded.get();
    }

    public int faultsServed() {
        return faultsServed.get();
    }

    private boolean faulting() {
        return System.nanoTime() < faultUntilNanos;
    }

    private void accept() {
        while (running) {
            try {
                Socket client = server.accept();
                Thread handler = new Thread(() -> handle(client), "fault-proxy-conn");
                handler.setDaemon(true);
                handler.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void handle(Socket client) {
        open.add(client);
        try {
            if (faulting()) {
                answerWithFault(client);
                return;
            }
            forwarded.incrementAndGet();
            try (Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort)) {
                open.add(upstream);
                Thread back = new Thread(() -> pipe(upstream, client), "fault-proxy-back");
                back.setDaemon(true);
                back.start();
                pipe(client, upstream);
                back.join(1_000);
            }
        } catch (IOException | InterruptedException ignored) {
            // The client or server went away.
        } finally {
            closeQuietly(client);
            open.remove(client);
        }
    }

    private void answerWithFault(Socket client) throws IOException {
        InputStream in = client.getInputStream();
        // Read the request head, then answer and close (the body, if any, is not read).
        int matched = 0;
        byte[] end = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        while (matched < end.length) {
            int b = in.read();
            if (b < 0) {
                return;
            }
            matched = b == end[matched] ? matched + 1 : (b == end[0] ? 1 : 0);
        }
        int status = faultStatus;
        String code = status == 503 ? "SlowDown" : "InternalError";
        String body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code
                + "</Code><Message>injected fault</Message></Error>";
        String response = "HTTP/1.1 " + status + (status == 503 ? " Service Unavailable" : " Internal Server Error")
                + "\r\nContent-Type: application/xml\r\nContent-Length: " + body.length()
                + "\r\nConnection: close\r\n\r\n" + body;
        OutputStream out = client.getOutputStream();
        out.write(response.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        faultsServed.incrementAndGet();
    }

    private void pipe(Socket from, Socket to) {
        byte[] buffer = new byte[64 * 1024];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
            }
        } catch (IOException ignored) {
            // Connection closed.
        } finally {
            closeQuietly(from);
            closeQuietly(to);
            open.remove(from);
            open.remove(to);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Already closed.
        }
    }

    @Override
    public void close() throws IOException {
        running = false;
        server.close();
        for (Socket socket : open) {
            closeQuietly(socket);
        }
    }
}
