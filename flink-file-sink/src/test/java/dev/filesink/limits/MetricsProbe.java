package dev.filesink.limits;

import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.testutils.InMemoryReporter;

import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads the sink's metrics as a metric reporter sees them: Flink's in-memory test reporter, configured on the
 * MiniCluster, keeps every metric of every attempt; this sums them up per job.
 */
public final class MetricsProbe {

    private final InMemoryReporter reporter = InMemoryReporter.createWithRetainedMetrics();

    /** Adds the reporter to a MiniCluster's configuration. */
    public Configuration configure(Configuration conf) {
        return reporter.addToConfiguration(conf);
    }

    /** Every metric of the job whose identifier ends with {@code .name} (e.g. {@code fileSink.partFilesOpened}). */
    public List<Metric> metrics(JobID job, String name) {
        List<Metric> found = new ArrayList<>();
        for (Map.Entry<MetricGroup, Map<String, Metric>> group : reporter.getMetricsByGroup().entrySet()) {
            if (!job.toHexString().equals(group.getKey().getAllVariables().get("<job_id>"))) {
                continue;
            }
            for (Map.Entry<String, Metric> metric : Map.copyOf(group.getValue()).entrySet()) {
                if (group.getKey().getMetricIdentifier(metric.getKey()).endsWith("." + name)) {
                    found.add(metric.getValue());
                }
            }
        }
        return found;
    }

    /** The sum of the job's counters of that name over all subtasks and attempts. */
    public long count(JobID job, String name) {
        List<Metric> found = metrics(job, name);
        if (found.isEmpty()) {
            throw new AssertionError("No metric '" + name + "' was registered");
        }
        return found.stream().mapToLong(metric -> ((Counter) metric).getCount()).sum();
    }

    /** The number of values the job's histograms of that name have seen. */
    public long histogramCount(JobID job, String name) {
        List<Metric> found = metrics(job, name);
        if (found.isEmpty()) {
            throw new AssertionError("No metric '" + name + "' was registered");
        }
        return found.stream().mapToLong(metric -> ((Histogram) metric).getCount()).sum();
    }

    /** Polls the job's gauges of that name while it runs, keeping the largest value seen. */
    Sampler sample(JobID job, String gaugeName) {
        return new Sampler(job, gaugeName);
    }

    /** Samples gauges every few milliseconds on a thread of its own. */
    final class Sampler implements AutoCloseable {
        private final JobID job;
        private final String name;
        private final AtomicLong max = new AtomicLong(Long.MIN_VALUE);
        private final AtomicLong samples = new AtomicLong();
        private final Thread thread;
        private volatile boolean running = true;

        private Sampler(JobID job, String name) {
            this.job = job;
            this.name = name;
            this.thread = new Thread(this::run, "gauge-sampler-" + name);
            thread.setDaemon(true);
            thread.start();
        }

        private void run() {
            while (running) {
                try {
                    for (Metric metric : metrics(job, name)) {
                        long value = ((Number) ((Gauge<?>) metric).getValue()).longValue();
                        max.accumulateAndGet(value, Math::max);
                        samples.incrementAndGet();
                    }
                    Thread.sleep(5);
                } catch (ConcurrentModificationException e) {
                    // a metric was registered while we looked: look again
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        long max() {
            return max.get();
        }

        long samples() {
            return samples.get();
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join(5_000);
        }
    }
}
