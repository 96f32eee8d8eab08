package dev.filesink.azure.client;

import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpHeader;
import com.azure.core.http.HttpHeaders;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The SDK's requests over the JDK's {@link java.net.http.HttpClient}, with known-length bodies and fully read
 * responses (the sink's requests and responses are small, apart from block uploads).
 *
 * <p>Why not the SDK's own JDK adapter: it sets Content-Length, which the JDK does not let callers set, and logs a
 * warning for every single request that it dropped it. This adapter leaves the restricted headers to the JDK, which
 * sends the body's own length.
 */
final class JdkHttpTransport implements HttpClient {

    /** Headers the JDK sets itself and refuses from callers. */
    private static final Set<String> RESTRICTED = Set.of("connection", "content-length", "expect", "host", "upgrade");

    private final java.net.http.HttpClient client;
    private final Duration requestTimeout;

    JdkHttpTransport(Duration connectTimeout, Duration requestTimeout) {
        java.net.http.HttpClient.Builder builder = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .followRedirects(java.net.http.HttpClient.Redirect.NEVER);
        // The JVM's proxy settings (https.proxyHost, http.nonProxyHosts, ...) apply, as for other JDK clients.
        java.net.ProxySelector proxies = java.net.ProxySelector.getDefault();
        if (proxies != null) {
            builder.proxy(proxies);
        }
        this.client = builder.build();
        this.requestTimeout = requestTimeout;
    }

    @Override
    public Mono<HttpResponse> send(HttpRequest request) {
        return send(request, Context.NONE);
    }

    @Override
    public Mono<HttpResponse> send(HttpRequest request, Context context) {
        // A cancelled caller does not cancel the JDK request (it ends by its own timeout): cancelling it would only
        // make Reactor log the dropped cancellation error.
        return Mono.defer(() -> Mono.fromFuture(client.sendAsync(toJdk(request), BodyHandlers.ofByteArray()), true))
                .map(response -> (HttpResponse) new BufferedResponse(request, response));
    }

    @Override
    public HttpResponse sendSync(HttpRequest request, Context context) {
        try {
            return new BufferedResponse(request, client.send(toJdk(request), BodyHandlers.ofByteArray()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new InterruptedIOException("Interrupted during " + request.getHttpMethod()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private java.net.http.HttpRequest toJdk(HttpRequest request) {
        java.net.http.HttpRequest.Builder builder;
        try {
            builder = java.net.http.HttpRequest.newBuilder(request.getUrl().toURI()).timeout(requestTimeout);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("Invalid request URL", e);
        }
        for (HttpHeader header : request.getHeaders()) {
            if (RESTRICTED.contains(header.getName().toLowerCase(java.util.Locale.ROOT))) {
                continue;
            }
            for (String value : header.getValuesList()) {
                builder.header(header.getName(), value);
            }
        }
        BinaryData body = request.getBodyAsBinaryData();
        java.net.http.HttpRequest.BodyPublisher publisher = body == null
                ? java.net.http.HttpRequest.BodyPublishers.noBody()
                : java.net.http.HttpRequest.BodyPublishers.ofByteArray(body.toBytes());
        return builder.method(request.getHttpMethod().name(), publisher).build();
    }

    /** A response whose body was read completely. */
    private static final class BufferedResponse extends HttpResponse {

        private final int status;
        private final HttpHeaders headers;
        private final byte[] body;

        BufferedResponse(HttpRequest request, java.net.http.HttpResponse<byte[]> response) {
            super(request);
            this.status = response.statusCode();
            this.headers = new HttpHeaders();
            for (Map.Entry<String, List<String>> header : response.headers().map().entrySet()) {
                if (!header.getKey().startsWith(":")) {
                    headers.set(header.getKey(), header.getValue());
                }
            }
            this.body = response.body() == null ? new byte[0] : response.body();
        }

        @Override
        public int getStatusCode() {
            return status;
        }

        @Override
        @Deprecated
        public String getHeaderValue(String name) {
            return headers.getValue(name);
        }

        @Override
        public HttpHeaders getHeaders() {
            return headers;
        }

        @Override
        public Flux<ByteBuffer> getBody() {
            return Flux.defer(() -> body.length == 0 ? Flux.empty() : Flux.just(ByteBuffer.wrap(body).asReadOnlyBuffer()));
        }

        @Override
        public BinaryData getBodyAsBinaryData() {
            return BinaryData.fromBytes(body);
        }

        @Override
        public Mono<byte[]> getBodyAsByteArray() {
            return Mono.fromSupplier(() -> body.length == 0 ? null : body);
        }

        @Override
        public Mono<String> getBodyAsString() {
            return getBodyAsString(StandardCharsets.UTF_8);
        }

        @Override
        public Mono<String> getBodyAsString(Charset charset) {
            return Mono.fromSupplier(() -> body.length == 0 ? null : new String(body, charset));
        }
    }
}
