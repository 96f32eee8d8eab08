package dev.filesink.e2e.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/** The few calls of Flink's REST API the tests watch a cluster and its jobs with. */
public final class RestApi {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final int port;
    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    RestApi(int port) {
        this.port = port;
        this.base = URI.create("http://127.0.0.1:" + port + "/");
    }

    public int port() {
        return port;
    }

    /** GET of a path, or empty when the server does not answer or answers with an error. */
    public Optional<JsonNode> get(String path) {
        try {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? Optional.of(JSON.readTree(response.body())) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    public boolean isUp() {
        return get("overview").isPresent();
    }

    /** TaskManagers the ResourceManager knows as registered (and not yet timed out). */
    public int registeredTaskManagers() {
        return get("overview").map(o -> o.path("taskmanagers").asInt()).orElse(-1);
    }

    public int freeSlots() {
        return get("overview").map(o -> o.path("slots-available").asInt()).orElse(-1);
    }

    /** The job's state (RUNNING, FINISHED, FAILED...), or "UNKNOWN". */
    public String jobState(String jobId) {
        return get("jobs/" + jobId).map(j -> j.path("state").asText()).orElse("UNKNOWN");
    }

    /** Completed checkpoints of the job so far (savepoints included), or -1. */
    public int completedCheckpoints(String jobId) {
        return get("jobs/" + jobId + "/checkpoints").map(c -> c.path("counts").path("completed").asInt()).orElse(-1);
    }

    /** How many failures the job recovered from (entries of its exception history). */
    public int failovers(String jobId) {
        return get("jobs/" + jobId + "/exceptions")
                .map(e -> e.path("exceptionHistory").path("entries").size())
                .orElse(-1);
    }

    /** The latest root exception of the job, for failure messages. */
    public String rootException(String jobId) {
        return get("jobs/" + jobId + "/exceptions")
                .map(e -> e.path("exceptionHistory").path("entries").path(0).path("stacktrace").asText(""))
                .orElse("");
    }
}
