package dev.filesink.compaction;

import dev.filesink.committer.FileSinkCommittable;
import dev.filesink.committer.FileSinkCommittableSerializer;
import dev.filesink.partitioncommit.WriterProgress;
import dev.filesink.storage.RecoverableSerializers;
import dev.filesink.storage.StorageSession;
import dev.filesink.writer.WriterSettings;

import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeutils.base.array.BytePrimitiveArraySerializer;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.io.SimpleVersionedSerialization;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.connector.sink2.CommittableMessage;
import org.apache.flink.streaming.api.connector.sink2.CommittableSummary;
import org.apache.flink.streaming.api.connector.sink2.CommittableWithLineage;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Between the writers and the committers: holds back the writers' pending part files per bucket and, at a checkpoint
 * barrier or the end of input, compacts those the strategy picks; hands on the compacted files (with their inputs)
 * and everything else in the same checkpoint's committables. See docs/compaction.md.
 */
public final class CompactionOperator<IN>
        extends AbstractStreamOperator<CommittableMessage<FileSinkCommittable>>
        implements OneInputStreamOperator<CommittableMessage<FileSinkCommittable>, CommittableMessage<FileSinkCommittable>>,
                BoundedOneInput {

    private static final long serialVersionUID = 1L;

    private final WriterSettings<IN> writerSettings;
    private final CompactionSettings settings;

    private transient StorageSession storage;
    private transient FileSinkCommittableSerializer serializer;
    private transient ListState<byte[]> waitingState;
    private transient WaitingFiles waiting;
    private transient List<FileSinkCommittable> handOn;
    private transient ExecutorService pool;
    private transient GroupCompactor<IN> compactor;
    private transient CompactionMetrics metrics;
    private transient long lastCheckpointId;
    private transient long lastIncomingCheckpointId;
    private transient int checkpointsSinceCompaction;
    private transient boolean endOfInput;

    public CompactionOperator(WriterSettings<IN> writerSettings, CompactionSettings settings) {
        this.writerSettings = writerSettings;
        this.settings = settings;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        storage = writerSettings.storage().open(writerSettings.basePath());
        if (settings.isEnabled() && !storage.supportsCompaction()) {
            throw new IllegalStateException("enableCompact: the sink's storage " + writerSettings.storage()
                    + " cannot compact part files (the sink's own storages all can: local folders, HDFS, S3, Azure)");
        }
        serializer = new FileSinkCommittableSerializer(
                new RecoverableSerializers(writerSettings.storage(), writerSettings.basePath()));
        waiting = new WaitingFiles();
        handOn = new ArrayList<>();
        waitingState = context.getOperatorStateStore().getListState(
                new ListStateDescriptor<>("file-sink-compaction-waiting", BytePrimitiveArraySerializer.INSTANCE));
        for (byte[] bytes : waitingState.get()) {
            waiting.add(SimpleVersionedSerialization.readVersionAndDeSerialize(serializer, bytes));
        }
        if (!settings.isEnabled()) {
            discardLeftoversOf(waiting.all());
        }
        lastCheckpointId = context.getRestoredCheckpointId().orElse(0L);
        metrics = new CompactionMetrics(getMetricGroup(), waiting);
    }

    /**
     * With compaction off, restored waiting files are handed on as they are, never through a compaction that would
     * discard what a failed attempt of the earlier job compacted them into: that is done here.
     */
    private void discardLeftoversOf(List<FileSinkCommittable> files) throws IOException {
        Map<Path, Set<String>> byDirectory = new HashMap<>();
        for (FileSinkCommittable file : files) {
            byDirectory.computeIfAbsent(file.target().getParent(), ignored -> new HashSet<>())
                    .add(CompactedNames.of(file.target()));
        }
        for (Map.Entry<Path, Set<String>> directory : byDirectory.entrySet()) {
            storage.discardInProgress(directory.getKey(), directory.getValue());
        }
    }

    @Override
    public void open() throws Exception {
        super.open();
        if (settings.isEnabled()) {
            AtomicInteger threads = new AtomicInteger();
            pool = Executors.newFixedThreadPool(settings.threads(), runnable -> {
                Thread thread = new Thread(runnable, "file-sink-compactor-" + threads.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            });
            compactor = new GroupCompactor<>(
                    storage, settings.compactor(), writerSettings.partFileFactory(), writerSettings.writeBufferSize());
        }
    }

    @Override
    public void processElement(StreamRecord<CommittableMessage<FileSinkCommittable>> element) {
        CommittableMessage<FileSinkCommittable> message = element.getValue();
        lastIncomingCheckpointId = Math.max(lastIncomingCheckpointId, message.getCheckpointId());
        if (!(message instanceof CommittableWithLineage)) {
            return; // the writers' summaries: this operator sends its own
        }
        FileSinkCommittable committable = ((CommittableWithLineage<FileSinkCommittable>) message).getCommittable();
        if (settings.isEnabled() && committable.hasPendingFile() && !committable.isCompacted()) {
            waiting.add(committable);
        } else {
            handOn.add(committable);
        }
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        if (endOfInput) {
            return; // everything went with the end of input
        }
        int every = settings.checkpointsBetweenCompactions();
        boolean everything = every > 0 && ++checkpointsSinceCompaction >= every;
        if (everything) {
            checkpointsSinceCompaction = 0;
        }
        emit(checkpointId, everything);
    }

    @Override
    public void endInput() throws Exception {
        endOfInput = true;
        // The writers sent their last files with the checkpoint after the last one they saw; so do we.
        emit(Math.max(lastCheckpointId + 1, lastIncomingCheckpointId), true);
    }

    private void emit(long checkpointId, boolean everything) throws Exception {
        lastCheckpointId = checkpointId;
        if (settings.isEnabled()) {
            compact(waiting.takeGroups(settings.sizeThreshold(), everything));
        } else {
            waiting.takeGroups(-1, true).forEach(handOn::addAll);
        }
        handOn.replaceAll(this::withHeldBackBuckets);
        int subtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
        int subtasks = getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks();
        output.collect(new StreamRecord<>(new CommittableSummary<>(subtask, subtasks, checkpointId, handOn.size(), 0)));
        for (FileSinkCommittable committable : handOn) {
            output.collect(new StreamRecord<>(new CommittableWithLineage<>(committable, checkpointId, subtask)));
        }
        handOn.clear();
    }

    /**
     * Partition commit: a writer's progress report (routed here by writer subtask) also names the buckets whose files
     * this subtask holds back, so their partitions are not announced before those files are committed. It says that
     * the input ended only when this subtask's input ended: the committer after it sends nothing later.
     */
    private FileSinkCommittable withHeldBackBuckets(FileSinkCommittable committable) {
        if (!committable.isProgress()) {
            return committable;
        }
        WriterProgress progress = committable.progress();
        Set<String> uncommitted = new HashSet<>(progress.uncommittedBuckets());
        uncommitted.addAll(waiting.buckets());
        return FileSinkCommittable.progress(new WriterProgress(progress.subtask(), progress.parallelism(),
                progress.watermark(), uncommitted, progress.bucketsWithRecords(), progress.endOfInput() && endOfInput));
    }

    /** Runs the groups on the compaction threads and waits for all: their outputs go with this checkpoint. */
    private void compact(List<List<FileSinkCommittable>> groups) throws Exception {
        List<Future<CompactionResult>> running = new ArrayList<>(groups.size());
        for (List<FileSinkCommittable> group : groups) {
            running.add(pool.submit(() -> compactor.compact(group)));
        }
        Exception failure = null;
        for (Future<CompactionResult> future : running) {
            try {
                CompactionResult result = future.get();
                metrics.record(result);
                handOn.addAll(result.committables());
            } catch (ExecutionException e) {
                Exception cause = e.getCause() instanceof Exception ? (Exception) e.getCause() : e;
                if (failure == null) {
                    failure = cause;
                } else {
                    failure.addSuppressed(cause);
                }
            }
        }
        if (failure != null) {
            // The inputs stay in the last checkpoint's state: the restart compacts them again.
            throw new IOException("Compaction failed: " + failure.getMessage(), failure);
        }
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        List<byte[]> serialized = new ArrayList<>();
        for (FileSinkCommittable file : waiting.all()) {
            serialized.add(SimpleVersionedSerialization.writeVersionAndSerialize(serializer, file));
        }
        waitingState.update(serialized);
    }

    @Override
    public void close() throws Exception {
        try {
            if (pool != null) {
                pool.shutdownNow();
            }
        } finally {
            if (storage != null) {
                storage.close();
            }
            super.close();
        }
    }
}
