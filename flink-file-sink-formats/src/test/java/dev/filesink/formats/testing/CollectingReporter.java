package dev.filesink.formats.testing;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

import java.util.Map;
import java.util.Properties;

/** A metric reporter for MiniCluster tests: remembers every counter by its full name. */
public final class CollectingReporter implements MetricReporter, MetricReporterFactory {

    /** Counter to its full name; by identity, as several operators may have the same name. */
    private static final Map<Counter, String> COUNTERS = java.util.Collections.synchronizedMap(new java.util.IdentityHashMap<>());

    /** The sum of all counters whose full name ends with the given name (over subtasks). */
    public static long sum(String nameSuffix) {
        synchronized (COUNTERS) {
            return COUNTERS.entrySet().stream()
                    .filter(e -> e.getValue().endsWith(nameSuffix))
                    .mapToLong(e -> e.getKey().getCount())
                    .sum();
        }
    }

    public static void clear() {
        COUNTERS.clear();
    }

    @Override
    public MetricReporter createMetricReporter(Properties properties) {
        return this;
    }

    @Override
    public void open(MetricConfig config) {}

    @Override
    public void close() {}

    @Override
    public void notifyOfAddedMetric(Metric metric, String name, MetricGroup group) {
        if (metric instanceof Counter counter) {
            COUNTERS.put(counter, group.getMetricIdentifier(name));
        }
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String name, MetricGroup group) {}
}
