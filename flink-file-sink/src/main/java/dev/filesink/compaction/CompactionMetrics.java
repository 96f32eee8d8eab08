package dev.filesink.compaction;

import dev.filesink.metrics.SinkMetrics;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/** The compaction operator's metrics (docs/metrics.md), updated on the operator's thread only. */
final class CompactionMetrics {

    private final Counter compactions;
    private final Counter inputFiles;
    private final Counter inputBytes;
    private final Counter outputFiles;
    private final Counter outputBytes;
    private final Counter bytesThroughTaskManager;
    private final Counter filesPassedThrough;
    private volatile long lastLatencyMillis;
    private volatile long maxLatencyMillis;

    CompactionMetrics(MetricGroup operatorGroup, WaitingFiles waiting) {
        MetricGroup group = operatorGroup.addGroup(SinkMetrics.GROUP).addGroup("compaction");
        compactions = group.counter("compactions");
        inputFiles = group.counter("inputFiles");
        inputBytes = group.counter("inputBytes");
        outputFiles = group.counter("outputFiles");
        outputBytes = group.counter("outputBytes");
        bytesThroughTaskManager = group.counter("bytesThroughTaskManager");
        filesPassedThrough = group.counter("filesPassedThrough");
        group.gauge("lastLatencyMs", () -> lastLatencyMillis);
        group.gauge("maxLatencyMs", () -> maxLatencyMillis);
        group.gauge("waitingFiles", waiting::fileCount);
        group.gauge("waitingBytes", waiting::bytes);
    }

    void record(CompactionResult result) {
        filesPassedThrough.inc(result.passedThrough());
        if (result.outputFiles() == 0) {
            return;
        }
        compactions.inc();
        inputFiles.inc(result.inputFiles());
        inputBytes.inc(result.inputBytes());
        outputFiles.inc(result.outputFiles());
        outputBytes.inc(result.outputBytes());
        bytesThroughTaskManager.inc(result.bytesThroughTaskManager());
        lastLatencyMillis = result.millis();
        maxLatencyMillis = Math.max(maxLatencyMillis, result.millis());
    }
}
