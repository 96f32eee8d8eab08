package dev.filesink.e2e.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes a cluster's configuration folder: {@code config.yaml} (Flink 2's configuration file) and the log4j files
 * the daemons and the CLI read. Everything binds to 127.0.0.1 on the given ports.
 */
final class FlinkConfDir {

    private FlinkConfDir() {}

    static void write(Path confDir, Path home, ClusterSpec spec, int restPort, int rpcPort) throws IOException {
        Files.createDirectories(confDir);
        Map<String, String> config = new LinkedHashMap<>();
        config.put("jobmanager.rpc.address", "127.0.0.1");
        config.put("jobmanager.rpc.port", String.valueOf(rpcPort));
        config.put("jobmanager.bind-host", "127.0.0.1");
        config.put("jobmanager.memory.process.size", spec.jobManagerMemory());
        config.put("taskmanager.host", "127.0.0.1");
        config.put("taskmanager.bind-host", "127.0.0.1");
        config.put("taskmanager.numberOfTaskSlots", String.valueOf(spec.slotsPerTaskManager()));
        config.put("taskmanager.memory.process.size", spec.taskManagerMemory());
        // No RocksDB and no sorting in these jobs: managed memory would only take heap away.
        config.put("taskmanager.memory.managed.size", "32m");
        config.put("rest.address", "127.0.0.1");
        config.put("rest.bind-address", "127.0.0.1");
        config.put("rest.port", String.valueOf(restPort));
        config.put("parallelism.default", "1");
        config.put("io.tmp.dirs", home.resolve("tmp").toString());
        config.put("execution.checkpointing.dir", home.resolve("checkpoints").toUri().toString());
        config.put("execution.checkpointing.savepoint-dir", home.resolve("savepoints").toUri().toString());
        // Checkpoints survive the job (and a crashed cluster) so that a job can be resumed from the latest one.
        config.put("execution.checkpointing.externalized-checkpoint-retention", "RETAIN_ON_CANCELLATION");
        // Notice dead processes within seconds rather than the default 50 s.
        config.put("heartbeat.interval", "1000");
        config.put("heartbeat.timeout", "6000");
        config.put("web.refresh-interval", "500");
        config.put("rest.cache.checkpoint-statistics.timeout", "200ms");
        if (spec.highAvailability()) {
            config.putAll(highAvailability(home, spec.zooKeeperQuorum()));
        }
        config.putAll(spec.config());

        StringBuilder yaml = new StringBuilder("# Written by the end-to-end test harness.\n");
        config.forEach((key, value) -> yaml.append(key).append(": ").append(quote(value)).append('\n'));
        Files.writeString(confDir.resolve("config.yaml"), yaml, StandardCharsets.UTF_8);
        Files.writeString(confDir.resolve("log4j.properties"), fileLogger("INFO"), StandardCharsets.UTF_8);
        Files.writeString(confDir.resolve("log4j-cli.properties"), fileLogger("INFO"), StandardCharsets.UTF_8);
    }

    /**
     * ZooKeeper HA: leader election and the job store in ZooKeeper, job graphs and checkpoint metadata pointers in the
     * storage folder. A short session timeout so that a standby takes over seconds after the leader died.
     */
    static Map<String, String> highAvailability(Path home, String quorum) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("high-availability.type", "zookeeper");
        config.put("high-availability.zookeeper.quorum", quorum);
        config.put("high-availability.storageDir", home.resolve("ha").toUri().toString());
        config.put("high-availability.cluster-id", clusterId(home));
        config.put("high-availability.zookeeper.client.session-timeout", "6 s");
        config.put("high-availability.zookeeper.client.connection-timeout", "5 s");
        // The test's ZooKeeper has no SASL: without this, every client logs "Authentication failed" first.
        config.put("zookeeper.sasl.disable", "true");
        return config;
    }

    /** One ZooKeeper namespace per cluster folder, so clusters never see each other's leaders or jobs. */
    static String clusterId(Path home) {
        return "/e2e-" + Integer.toHexString(home.toAbsolutePath().toString().hashCode());
    }

    private static String quote(String value) {
        return value.matches("[A-Za-z0-9_./:\\-]+") ? value : "'" + value.replace("'", "''") + "'";
    }

    private static String fileLogger(String level) {
        return String.join("\n",
                "rootLogger.level = " + level,
                "rootLogger.appenderRef.file.ref = File",
                "appender.file.name = File",
                "appender.file.type = File",
                "appender.file.fileName = ${sys:log.file}",
                "appender.file.layout.type = PatternLayout",
                "appender.file.layout.pattern = %d{HH:mm:ss,SSS} %-5p [%t] %c{1} - %m%n",
                "logger.pekko.name = org.apache.pekko",
                "logger.pekko.level = WARN",
                "logger.netty.name = org.apache.flink.shaded.netty4",
                "logger.netty.level = WARN",
                "");
    }
}
