package dev.filesink.example;

import org.apache.flink.api.common.RuntimeExecutionMode;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The example job's command line: {@code --name value} pairs. Every option has a default, so no arguments at all is a
 * complete, bounded STREAMING run into {@code ./example-output}.
 */
public final class ExampleOptions {

    /** Option name to its one-line help; the order is the order {@link #usage()} prints. */
    private static final Map<String, String> OPTIONS = new LinkedHashMap<>();

    static {
        OPTIONS.put("destination", "where part files go: a local folder (path or file:///...), s3://bucket/prefix, "
                + "or an Azure Blob destination (see docs/e2e.md). Default: ./example-output");
        OPTIONS.put("format", "text (one record per line), json, csv, avro or parquet. Default: text");
        OPTIONS.put("compression", "none; gzip, zstd or snappy (text, json, csv); snappy, gzip or zstd (parquet); "
                + "snappy, deflate or zstd (avro). Default: none");
        OPTIONS.put("records", "how many records to write; 0 writes until the job is stopped. Default: 60000");
        OPTIONS.put("rate", "records per second over all subtasks; 0 is as fast as possible. Default: 3000");
        OPTIONS.put("checkpoint-interval", "STREAMING checkpoint interval (e.g. 3s, 500ms). Default: 3s");
        OPTIONS.put("parallelism", "parallelism of the job. Default: 2 (on a cluster: the -p of 'flink run', if given)");
        OPTIONS.put("mode", "STREAMING or BATCH. Default: STREAMING");
        OPTIONS.put("buckets", "0: one bucket per hour (DateTimeBucketAssigner); N > 0: N buckets by record id. Default: 0");
        OPTIONS.put("max-part-size", "roll a part file at this size (e.g. 1mb). Default: 512kb");
        OPTIONS.put("rollover-interval", "roll a part file at this age (e.g. 10s). Default: 10s");
        OPTIONS.put("roll-on-checkpoint", "true: roll every part file on each checkpoint. Default: false");
        OPTIONS.put("write-buffer-size", "bytes buffered per open part file (e.g. 64kb). Default: 64kb");
        OPTIONS.put("commit-parallelism", "part files committed at once per committer. Default: 8");
        OPTIONS.put("restart-attempts", "restarts after failures before the job fails. Default: 10");
        OPTIONS.put("restart-delay", "pause before a restart (e.g. 1s). Default: 1s");
        OPTIONS.put("job-name", "the job's name. Default: file-sink-example");
        OPTIONS.put("filesink.s3.<key>", "any S3 destination option (see docs/s3.md), e.g. --filesink.s3.endpoint "
                + "http://127.0.0.1:9000; also read from the Flink configuration");
        OPTIONS.put("filesink.azure.<key>", "any Azure destination option (see docs/azure.md), e.g. "
                + "--filesink.azure.credentials.provider default-azure-credential; also read from the Flink configuration");
    }

    /** Options passed on to a destination (validated there): --filesink.s3.* and --filesink.azure.*. */
    private static final String CONNECTOR_PREFIX = "filesink.";

    private final String destination;
    private final String format;
    private final String compression;
    private final long records;
    private final double rate;
    private final Duration checkpointInterval;
    private final Integer parallelism;
    private final RuntimeExecutionMode mode;
    private final int buckets;
    private final long maxPartSize;
    private final Duration rolloverInterval;
    private final boolean rollOnCheckpoint;
    private final int writeBufferSize;
    private final int commitParallelism;
    private final int restartAttempts;
    private final Duration restartDelay;
    private final String jobName;
    private final Map<String, String> connectorOptions;

    private ExampleOptions(Map<String, String> values, Map<String, String> connectorOptions) {
        this.connectorOptions = Map.copyOf(connectorOptions);
        destination = values.getOrDefault("destination", "example-output");
        format = values.getOrDefault("format", "text").toLowerCase(Locale.ROOT);
        compression = values.getOrDefault("compression", "none").toLowerCase(Locale.ROOT);
        records = nonNegativeLong(values, "records", 60_000);
        rate = nonNegativeDouble(values, "rate", 3_000);
        checkpointInterval = duration(values, "checkpoint-interval", "3s");
        parallelism = values.containsKey("parallelism") ? positiveInt(values, "parallelism", 1) : null;
        mode = mode(values);
        buckets = (int) nonNegativeLong(values, "buckets", 0);
        maxPartSize = size(values, "max-part-size", "512kb");
        rolloverInterval = duration(values, "rollover-interval", "10s");
        rollOnCheckpoint = bool(values, "roll-on-checkpoint", false);
        long buffer = size(values, "write-buffer-size", "64kb");
        if (buffer > 64L * 1024 * 1024) {
            throw bad("write-buffer-size", values.get("write-buffer-size"), "at most 64mb");
        }
        writeBufferSize = (int) buffer;
        commitParallelism = positiveInt(values, "commit-parallelism", 8);
        restartAttempts = (int) nonNegativeLong(values, "restart-attempts", 10);
        restartDelay = duration(values, "restart-delay", "1s");
        jobName = values.getOrDefault("job-name", "file-sink-example");
    }

    /** Parses {@code --name value} pairs; fails with a message naming the bad option. */
    public static ExampleOptions parse(String... args) {
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, String> connectorOptions = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new IllegalArgumentException("Unexpected argument '" + arg + "': options are --name value pairs.\n" + usage());
            }
            String name = arg.substring(2);
            String value;
            int equals = name.indexOf('=');
            if (equals >= 0) {
                value = name.substring(equals + 1);
                name = name.substring(0, equals);
            } else {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("Option --" + name + " needs a value.\n" + usage());
                }
                value = args[++i];
            }
            boolean connectorOption = name.startsWith(CONNECTOR_PREFIX);
            if (!connectorOption && !OPTIONS.containsKey(name)) {
                throw new IllegalArgumentException("Unknown option --" + name + ".\n" + usage());
            }
            if ((connectorOption ? connectorOptions : values).put(name, value) != null) {
                throw new IllegalArgumentException("Option --" + name + " is given twice.");
            }
        }
        return new ExampleOptions(values, connectorOptions);
    }

    public static boolean isHelp(String... args) {
        for (String arg : args) {
            if (arg.equals("--help") || arg.equals("-h")) {
                return true;
            }
        }
        return false;
    }

    public static String usage() {
        StringBuilder usage = new StringBuilder("Options of dev.filesink.example.ExampleJob:\n");
        OPTIONS.forEach((name, help) -> usage.append(String.format("  --%-20s %s%n", name, help)));
        return usage.toString();
    }

    private static long nonNegativeLong(Map<String, String> values, String name, long defaultValue) {
        String value = values.get(name);
        if (value == null) {
            return defaultValue;
        }
        try {
            long parsed = Long.parseLong(value.replace("_", ""));
            if (parsed >= 0) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw bad(name, value, "a whole number >= 0");
    }

    private static int positiveInt(Map<String, String> values, String name, int defaultValue) {
        long parsed = nonNegativeLong(values, name, defaultValue);
        if (parsed < 1 || parsed > Integer.MAX_VALUE) {
            throw bad(name, values.get(name), "a whole number >= 1");
        }
        return (int) parsed;
    }

    private static double nonNegativeDouble(Map<String, String> values, String name, double defaultValue) {
        String value = values.get(name);
        if (value == null) {
            return defaultValue;
        }
        try {
            double parsed = Double.parseDouble(value);
            if (parsed >= 0 && Double.isFinite(parsed)) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw bad(name, value, "a number >= 0");
    }

    private static boolean bool(Map<String, String> values, String name, boolean defaultValue) {
        String value = values.get(name);
        if (value == null) {
            return defaultValue;
        }
        switch (value.toLowerCase(Locale.ROOT)) {
            case "true": return true;
            case "false": return false;
            default: throw bad(name, value, "true or false");
        }
    }

    private static RuntimeExecutionMode mode(Map<String, String> values) {
        String value = values.getOrDefault("mode", "STREAMING");
        try {
            RuntimeExecutionMode parsed = RuntimeExecutionMode.valueOf(value.toUpperCase(Locale.ROOT));
            if (parsed != RuntimeExecutionMode.AUTOMATIC) {
                return parsed;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw bad("mode", value, "STREAMING or BATCH");
    }

    /** Durations as {@code 500ms}, {@code 3s}, {@code 2min}, {@code 1h}, or a bare number of milliseconds. */
    static Duration duration(Map<String, String> values, String name, String defaultValue) {
        String value = values.getOrDefault(name, defaultValue).trim().toLowerCase(Locale.ROOT);
        String[][] units = {{"ms", "1"}, {"min", "60000"}, {"s", "1000"}, {"m", "60000"}, {"h", "3600000"}};
        try {
            for (String[] unit : units) {
                if (value.endsWith(unit[0])) {
                    String number = value.substring(0, value.length() - unit[0].length()).trim();
                    long millis = Long.parseLong(number) * Long.parseLong(unit[1]);
                    if (millis > 0) {
                        return Duration.ofMillis(millis);
                    }
                    throw bad(name, value, "a positive duration such as 500ms, 3s or 2min");
                }
            }
            long millis = Long.parseLong(value);
            if (millis > 0) {
                return Duration.ofMillis(millis);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw bad(name, value, "a positive duration such as 500ms, 3s or 2min");
    }

    /** Sizes as {@code 512kb}, {@code 1mb}, {@code 1gb}, or a bare number of bytes. */
    static long size(Map<String, String> values, String name, String defaultValue) {
        String value = values.getOrDefault(name, defaultValue).trim().toLowerCase(Locale.ROOT);
        String[][] units = {{"kb", "1024"}, {"mb", "1048576"}, {"gb", "1073741824"}, {"b", "1"}};
        try {
            for (String[] unit : units) {
                if (value.endsWith(unit[0])) {
                    String number = value.substring(0, value.length() - unit[0].length()).trim();
                    long bytes = Long.parseLong(number) * Long.parseLong(unit[1]);
                    if (bytes > 0) {
                        return bytes;
                    }
                    throw bad(name, value, "a positive size such as 512kb or 1mb");
                }
            }
            long bytes = Long.parseLong(value);
            if (bytes > 0) {
                return bytes;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw bad(name, value, "a positive size such as 512kb or 1mb");
    }

    private static IllegalArgumentException bad(String name, String value, String expected) {
        return new IllegalArgumentException("Option --" + name + ": '" + value + "' is not " + expected + ".");
    }

    public String destination() { return destination; }

    public String format() { return format; }

    public String compression() { return compression; }

    /** The --filesink.* options for the destination, by key without the dashes. */
    public Map<String, String> connectorOptions() { return connectorOptions; }

    /** Records to write; 0 means unbounded. */
    public long records() { return records; }

    public boolean bounded() { return records > 0; }

    /** Records per second over all subtasks; 0 means unthrottled. */
    public double rate() { return rate; }

    public Duration checkpointInterval() { return checkpointInterval; }

    /** The parallelism given with --parallelism, or null to keep the environment's (e.g. {@code flink run -p}). */
    public Integer parallelism() { return parallelism; }

    public RuntimeExecutionMode mode() { return mode; }

    public int buckets() { return buckets; }

    public long maxPartSize() { return maxPartSize; }

    public Duration rolloverInterval() { return rolloverInterval; }

    public boolean rollOnCheckpoint() { return rollOnCheckpoint; }

    public int writeBufferSize() { return writeBufferSize; }

    public int commitParallelism() { return commitParallelism; }

    public int restartAttempts() { return restartAttempts; }

    public Duration restartDelay() { return restartDelay; }

    public String jobName() { return jobName; }
}
