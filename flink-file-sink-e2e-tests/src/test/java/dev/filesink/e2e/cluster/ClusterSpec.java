package dev.filesink.e2e.cluster;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** The shape of a test cluster: how many TaskManagers with how many slots, memory, and extra configuration. */
public final class ClusterSpec {

    private int taskManagers = 1;
    private int jobManagers = 1;
    private Supplier<String> zooKeeperQuorum;
    private int slotsPerTaskManager = 2;
    private String taskManagerMemory = "1024m";
    private String jobManagerMemory = "768m";
    private final Map<String, String> config = new LinkedHashMap<>();
    private final Map<String, String> environment = new LinkedHashMap<>();

    public static ClusterSpec create() {
        return new ClusterSpec();
    }

    /** TaskManagers started with the cluster. */
    public ClusterSpec taskManagers(int count) {
        this.taskManagers = count;
        return this;
    }

    /**
     * JobManager high availability through ZooKeeper, with this many JobManagers (one leader, the others standing by).
     * The quorum is asked for when the cluster starts, so a ZooKeeper server started just before can be used.
     */
    public ClusterSpec zooKeeperHighAvailability(Supplier<String> quorum, int jobManagerCount) {
        this.zooKeeperQuorum = quorum;
        this.jobManagers = jobManagerCount;
        return this;
    }

    public ClusterSpec slotsPerTaskManager(int slots) {
        this.slotsPerTaskManager = slots;
        return this;
    }

    public ClusterSpec taskManagerMemory(String processSize) {
        this.taskManagerMemory = processSize;
        return this;
    }

    public ClusterSpec jobManagerMemory(String processSize) {
        this.jobManagerMemory = processSize;
        return this;
    }

    /** Any further Flink option, written into config.yaml (so both the cluster and the CLI see it). */
    public ClusterSpec set(String key, String value) {
        config.put(key, value);
        return this;
    }

    /** Environment variables of every process of the cluster and of the CLI (e.g. cloud credentials). */
    public ClusterSpec environment(Map<String, String> variables) {
        environment.putAll(variables);
        return this;
    }

    int taskManagers() {
        return taskManagers;
    }

    /** The TaskManagers the cluster runs when it is as started. */
    public int taskManagerCount() {
        return taskManagers;
    }

    int jobManagers() {
        return jobManagers;
    }

    boolean highAvailability() {
        return zooKeeperQuorum != null;
    }

    String zooKeeperQuorum() {
        return zooKeeperQuorum.get();
    }

    int slotsPerTaskManager() {
        return slotsPerTaskManager;
    }

    String taskManagerMemory() {
        return taskManagerMemory;
    }

    String jobManagerMemory() {
        return jobManagerMemory;
    }

    Map<String, String> config() {
        return config;
    }

    Map<String, String> environment() {
        return environment;
    }
}
