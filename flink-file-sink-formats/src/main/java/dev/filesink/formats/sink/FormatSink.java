package dev.filesink.formats.sink;

import dev.filesink.FileSink;
import dev.filesink.committer.FileSinkCommittable;
import dev.filesink.formats.bulk.FormatBulkPartFileFactory;
import dev.filesink.formats.records.BadRecordAware;
import dev.filesink.formats.records.BadRecords;
import dev.filesink.formats.row.FormatRowPartFileFactory;
import dev.filesink.metrics.SinkMetrics;
import dev.filesink.partfile.BulkPartFileFactory;
import dev.filesink.partfile.PartFileFactory;
import dev.filesink.partfile.RowPartFileFactory;
import dev.filesink.writer.FileWriterState;

import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.SupportsWriterState;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;

import java.io.IOException;
import java.util.Collection;
import java.util.List;

/**
 * The core {@link FileSink} with one addition: when a writer starts, the format's bad-record handling gets the
 * writer's {@code fileSink.recordsSkipped} counter. Everything else is the core sink's.
 */
public final class FormatSink<IN>
        implements Sink<IN>, SupportsWriterState<IN, FileWriterState>, SupportsCommitter<FileSinkCommittable> {

    private static final long serialVersionUID = 1L;

    static final String SKIPPED_METRIC = "recordsSkipped";

    private final FileSink<IN> sink;

    FormatSink(FileSink<IN> sink) {
        this.sink = sink;
    }

    /** The core sink this wraps. */
    public FileSink<IN> fileSink() {
        return sink;
    }

    @Override
    public StatefulSinkWriter<IN, FileWriterState> createWriter(WriterInitContext context) throws IOException {
        return restoreWriter(context, List.of());
    }

    @Override
    public StatefulSinkWriter<IN, FileWriterState> restoreWriter(
            WriterInitContext context, Collection<FileWriterState> recoveredState) throws IOException {
        BadRecords badRecords = badRecordsOf(sink.writerSettings().partFileFactory());
        if (badRecords != null && badRecords.skips()) {
            badRecords.bindMetric(context.metricGroup().addGroup(SinkMetrics.GROUP).counter(SKIPPED_METRIC));
        }
        return sink.restoreWriter(context, recoveredState);
    }

    @Override
    public SimpleVersionedSerializer<FileWriterState> getWriterStateSerializer() {
        return sink.getWriterStateSerializer();
    }

    @Override
    public Committer<FileSinkCommittable> createCommitter(CommitterInitContext context) throws IOException {
        return sink.createCommitter(context);
    }

    @Override
    public SimpleVersionedSerializer<FileSinkCommittable> getCommittableSerializer() {
        return sink.getCommittableSerializer();
    }

    private static BadRecords badRecordsOf(PartFileFactory<?> factory) {
        Object format = null;
        if (factory instanceof FormatRowPartFileFactory<?> row) {
            format = row.encoder();
        } else if (factory instanceof FormatBulkPartFileFactory<?> bulk) {
            format = bulk.writerFactory();
        } else if (factory instanceof RowPartFileFactory<?> row) {
            format = row.encoder();
        } else if (factory instanceof BulkPartFileFactory<?> bulk) {
            format = bulk.writerFactory();
        }
        return format instanceof BadRecordAware aware ? aware.badRecords() : null;
    }
}
