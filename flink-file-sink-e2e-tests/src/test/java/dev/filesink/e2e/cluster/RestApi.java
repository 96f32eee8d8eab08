package dev.filesink.e2e.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** The few calls of Flink's REST API the tests watch a cluster and its jobs with. */
public final class RestApi {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<Integer> ports = new CopyOnWriteArrayList<>();
    private volatile int answering;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    RestApi(int port) {
        this.ports.add(port);
        this.answering = port;
    }

    /** The port of the JobManager that answered last (with HA: any JobManager's REST endpoint serves the leader's). */
    public int port() {
        return answering;
    }

    /** One more JobManager's REST endpoint (a standby with HA): asked when the one that answered last does not. */
    void addPort(int port) {
        ports.add(port);
    }

    /** GET of a path, or empty when no JobManager answers or all answer with an error. */
    public Optional<JsonNode> get(String path) {
        int first = answering;
        Optional<JsonNode> answer = get(first, path);
        if (answer.isPresent() || ports.size() == 1) {
            return answer;
        }
        for (int port : ports) {
            if (port != first) {
                answer = get(port, path);
                if (answer.isPresent()) {
                    answering = port;
                    return answer;
                }
            }
        }
        return Optional.empty();
    }

    /** GET of a path from one JobManager. */
    public Optional<JsonNode> get(int port, String path) {
        try {
            URI uri = URI.create("http://127.0.0.1:" + port + "/" + path);
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build(),
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

    /** Whether this JobManager's REST endpoint answers (with HA only once some JobManager is the leader). */
    public boolean isUp(int port) {
        return get(port, "overview").isPresent();
    }

    /** TaskManagers the ResourceManager knows as registered (and not yet timed out). */
    public int registeredTaskManagers() {
        return get("overview").map(o -> o.path("taskmanagers").asInt()).orElse(-1);
    }

    /** The ids of the jobs not yet in a final state (running, being created, restarted, canceled...). */
    public List<String> unfinishedJobs() {
        List<String> unfinished = new java.util.ArrayList<>();
        get("jobs/overview").ifPresent(o -> {
            for (JsonNode job : o.path("jobs")) {
                String state = job.path("state").asText();
                if (!state.equals("FINISHED") && !state.equals("FAILED") && !state.equals("CANCELED")) {
                    unfinished.add(job.path("jid").asText());
                }
            }
        });
        return unfinished;
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

    /** The id of the job's latest completed checkpoint, or -1. */
    public long latestCompletedCheckpointId(String jobId) {
        return get("jobs/" + jobId + "/checkpoints")
                .map(c -> c.path("latest").path("completed").path("id").asLong(-1))
                .orElse(-1L);
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
