package dev.filesink.e2e.soak;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback TCP proxy in front of a storage server (s3proxy, Azurite) that the soak run's chaos driver turns faulty
 * for a while: it refuses connections, cuts them, stalls them, or answers every request with HTTP 500 or 503 in the
 * storage's own error format. Between faults it forwards bytes unchanged (request signatures stay valid).
 */
public final class StorageFaultProxy implements AutoCloseable {

    /** What the proxy does while a fault is on. */
    public enum Fault {
        /** Nothing listens on the port: connects are refused; open connections are reset. */
        REFUSE,
        /** Open connections are reset at once; new ones are reset after a random few KB. */
        CUT,
        /** No byte moves in either direction, on open and new connections, until the fault ends. */
        STALL,
        /** Every request is answered with 500 InternalError; open connections are closed first. */
        HTTP_500,
        /** Every request is answered with 503 (S3: SlowDown, Azure: ServerBusy); open connections are closed first. */
        HTTP_503;

        public String label() {
            return name().toLowerCase(Locale.ROOT).replace("http_", "");
        }
    }

    private final String name;
    private final int upstreamPort;
    private final String busyCode;
    private final int port;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Object stallLock = new Object();
    private final AtomicInteger errorsAnswered = new AtomicInteger();
    private final AtomicInteger connectionsCut = new AtomicInteger();
    private volatile ServerSocket server;
    private volatile Fault fault;
    private volatile boolean closed;

    /**
     * @param busyCode the error code the storage sends with a 503 ("SlowDown" for S3, "ServerBusy" for Azure)
     */
    public StorageFaultProxy(String name, int upstreamPort, String busyCode) throws IOException {
        this.name = name;
        this.upstreamPort = upstreamPort;
        this.busyCode = busyCode;
        ServerSocket first = new ServerSocket();
        first.setReuseAddress(true);
        first.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        this.port = first.getLocalPort();
        listen(first);
    }

    public int port() {
        return port;
    }

    public String name() {
        return name;
    }

    /** Turns a fault on until {@link #clear()}. */
    public synchronized void inject(Fault newFault) throws IOException {
        clear();
        fault = newFault;
        switch (newFault) {
            case REFUSE -> {
                server.close();
                resetAll();
            }
            case CUT -> resetAll();
            case STALL -> { /* the pipes see the flag */ }
            case HTTP_500, HTTP_503 -> resetAll();
        }
    }

    /** Back to forwarding; after REFUSE the port listens again. */
    public synchronized void clear() throws IOException {
        Fault was = fault;
        fault = null;
        if (was == Fault.REFUSE && !closed) {
            ServerSocket again = new ServerSocket();
            again.setReuseAddress(true);
            again.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            listen(again);
        }
        synchronized (stallLock) {
            stallLock.notifyAll();
        }
    }

    /** HTTP errors answered by the proxy so far. */
    public int errorsAnswered() {
        return errorsAnswered.get();
    }

    /** Connections reset by the proxy so far (CUT and REFUSE). */
    public int connectionsCut() {
        return connectionsCut.get();
    }

    private void listen(ServerSocket socket) {
        server = socket;
        Thread acceptor = new Thread(() -> accept(socket), name + "-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void accept(ServerSocket socket) {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                Thread handler = new Thread(() -> handle(client), name + "-proxy-conn");
                handler.setDaemon(true);
                handler.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void handle(Socket client) {
        open.add(client);
        Fault now = fault;
        try {
            if (now == Fault.HTTP_500 || now == Fault.HTTP_503) {
                answerWithError(client, now == Fault.HTTP_503 ? 503 : 500);
                return;
            }
            long cutAfter = now == Fault.CUT ? ThreadLocalRandom.current().nextLong(1, 32 * 1024) : Long.MAX_VALUE;
            try (Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort)) {
                open.add(upstream);
                Thread back = new Thread(() -> pipe(upstream, client, Long.MAX_VALUE), name + "-proxy-back");
                back.setDaemon(true);
                back.start();
                pipe(client, upstream, cutAfter);
                back.join(1_000);
            }
        } catch (IOException | InterruptedException ignored) {
            // The client or the server went away.
        } finally {
            closeQuietly(client);
            open.remove(client);
        }
    }

    /** Reads the request head (and a body of known length), answers with the error, closes. */
    private void answerWithError(Socket client, int status) throws IOException {
        InputStream in = client.getInputStream();
        StringBuilder head = new StringBuilder();
        byte[] end = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        int matched = 0;
        while (matched < end.length) {
            int b = in.read();
            if (b < 0) {
                return;
            }
            head.append((char) b);
            matched = b == end[matched] ? matched + 1 : (b == end[0] ? 1 : 0);
        }
        String lower = head.toString().toLowerCase(Locale.ROOT);
        // A client waiting for "100 Continue" sends no body: answer at once, as a server does.
        if (!lower.contains("expect: 100-continue")) {
            java.util.regex.Matcher length = java.util.regex.Pattern.compile("content-length:\\s*(\\d+)").matcher(lower);
            if (length.find()) {
                in.skipNBytes(Long.parseLong(length.group(1)));
            }
        }
        String code = status == 503 ? busyCode : "InternalError";
        String body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code
                + "</Code><Message>fault injected by the soak run</Message></Error>";
        String response = "HTTP/1.1 " + status + (status == 503 ? " Service Unavailable" : " Internal Server Error")
                + "\r\nContent-Type: application/xml\r\nContent-Length: " + body.length()
                + "\r\nx-ms-error-code: " + code + "\r\nConnection: close\r\n\r\n" + body;
        OutputStream out = client.getOutputStream();
        out.write(response.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        errorsAnswered.incrementAndGet();
    }

    private void pipe(Socket from, Socket to, long cutAfter) {
        byte[] buffer = new byte[16 * 1024];
        long forwarded = 0;
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = in.read(buffer)) >= 0) {
                awaitNoStall();
                if (forwarded + n > cutAfter && fault == Fault.CUT) {
                    reset(from);
                    reset(to);
                    return;
                }
                out.write(buffer, 0, n);
                forwarded += n;
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

    private void awaitNoStall() throws IOException {
        synchronized (stallLock) {
            while (fault == Fault.STALL && !closed) {
                try {
                    stallLock.wait(1_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("Interrupted while stalled", e);
                }
            }
        }
    }

    private void resetAll() {
        for (Socket socket : open) {
            reset(socket);
        }
    }

    /** Closes with a TCP reset (SO_LINGER 0), as a crashed peer or a middlebox would. */
    private void reset(Socket socket) {
        try {
            if (!socket.isClosed()) {
                socket.setSoLinger(true, 0);
                connectionsCut.incrementAndGet();
            }
        } catch (IOException ignored) {
            // Closed meanwhile.
        }
        closeQuietly(socket);
        open.remove(socket);
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
        closed = true;
        fault = null;
        server.close();
        synchronized (stallLock) {
            stallLock.notifyAll();
        }
        for (Socket socket : open) {
            closeQuietly(socket);
        }
    }
}
