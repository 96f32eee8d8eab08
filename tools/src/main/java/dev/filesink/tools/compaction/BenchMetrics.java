package dev.filesink.tools.compaction;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The metrics of the embedded cluster's jobs as a metric reporter sees them, kept after their groups close (a
 * counter keeps its count), so that a finished job's compaction metrics can be summed. One run at a time:
 * {@link #reset()} before each.
 */
public final class BenchMetrics implements MetricReporter {

    private record Registered(String identifier, Metric metric) {}

    private static final List<Registered> METRICS = new CopyOnWriteArrayList<>();

    /** Adds this reporter to an embedded cluster's configuration (found through its service file). */
    static Configuration configure(Configuration conf) {
        conf.setString("metrics.reporter.bench.factory.class", Factory.class.getName());
        return conf;
    }

    static void reset() {
        METRICS.clear();
    }

    /** The sum of every counter whose identifier ends with {@code .name}, over all subtasks. */
    static long count(String name) {
        long sum = 0;
        for (Registered registered : METRICS) {
            if (registered.identifier.endsWith("." + name) && registered.metric instanceof Counter counter) {
                sum += counter.getCount();
            }
        }
        return sum;
    }

    /** The current values of every numeric gauge whose identifier ends with {@code .name}. */
    static List<Long> gauges(String name) {
        List<Long> values = new ArrayList<>();
        for (Registered registered : METRICS) {
            if (registered.identifier.endsWith("." + name) && registered.metric instanceof Gauge<?> gauge
                    && gauge.getValue() instanceof Number number) {
                values.add(number.longValue());
            }
        }
        return values;
    }

    @Override
    public void open(MetricConfig config) {}

    @Override
    public void close() {}

    @Override
    public void notifyOfAddedMetric(Metric metric, String metricName, MetricGroup group) {
        METRICS.add(new Registered(group.getMetricIdentifier(metricName), metric));
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String metricName, MetricGroup group) {
        // kept: the counts of a finished job are what the benchmark reads
    }

    /** Found by Flink through META-INF/services. */
    public static final class Factory implements MetricReporterFactory {
        @Override
        public MetricReporter createMetricReporter(Properties properties) {
            return new BenchMetrics();
        }
    }
}
