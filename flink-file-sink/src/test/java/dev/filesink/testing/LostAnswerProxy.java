package dev.filesink.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback HTTP proxy in front of a storage server (s3proxy, Azurite) that forwards every request (with its
 * {@code Content-Length} body), but for the first {@code count} whose request line contains a marker it drops the
 * server's answer and closes the connection: the server did the work, the client never hears of it and tries again
 * (an SDK retry after a lost answer). One request per connection.
 */
public final class LostAnswerProxy implements AutoCloseable {

    private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    private final int upstreamPort;
    private final String marker;
    private final AtomicInteger toLose;
    private final AtomicInteger lost = new AtomicInteger();

    public LostAnswerProxy(int upstreamPort, String marker, int count) throws IOException {
        this.upstreamPort = upstreamPort;
        this.marker = marker;
        this.toLose = new AtomicInteger(count);
        Thread acceptor = new Thread(this::accept, "lost-answer-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** The endpoint to give the client. */
    public String endpoint() {
        return "http://127.0.0.1:" + socket.getLocalPort();
    }

    /** The endpoint with a first path segment, path style like Azurite's account. */
    public String endpoint(String account) {
        return endpoint() + "/" + account;
    }

    /** Answers dropped so far. */
    public int lost() {
        return lost.get();
    }

    private void accept() {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                Thread handler = new Thread(() -> handle(client), "lost-answer-proxy-connection");
                handler.setDaemon(true);
                handler.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void handle(Socket client) {
        try (client; Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort)) {
            InputStream in = client.getInputStream();
            String head = readHead(in);
            if (head == null) {
                return;
            }
            byte[] body = in.readNBytes(contentLength(head));
            // One request per upstream connection: the server closes it after its answer, which ends the relay.
            String forwarded = head.replaceAll("(?im)^connection:.*\r\n", "")
                    .replaceFirst("\r\n\r\n$", "\r\nConnection: close\r\n\r\n");
            OutputStream toUpstream = upstream.getOutputStream();
            toUpstream.write(forwarded.getBytes(StandardCharsets.ISO_8859_1));
            toUpstream.write(body);
            toUpstream.flush();
            byte[] answer = upstream.getInputStream().readAllBytes();
            String requestLine = head.substring(0, head.indexOf("\r\n"));
            if (requestLine.contains(marker) && toLose.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                lost.incrementAndGet();
                return; // the server did it; the client hears nothing
            }
            OutputStream out = client.getOutputStream();
            out.write(answer);
            out.flush();
        } catch (IOException ignored) {
            // The client or the server went away: nothing to relay.
        }
    }

    private static int contentLength(String head) {
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                return Integer.parseInt(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        return 0;
    }

    /** The request line and headers, up to the empty line. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        int b;
        while ((b = in.read()) != -1) {
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
            if (matched == 4) {
                return head.toString(StandardCharsets.ISO_8859_1);
            }
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
