package dev.filesink.partitioncommit;

import dev.filesink.committer.FileSinkCommittable;
import dev.filesink.metrics.SinkMetrics;
import dev.filesink.storage.PartFileStorage;
import dev.filesink.storage.StorageSession;

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
import org.apache.flink.streaming.runtime.tasks.ProcessingTimeService;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The sink's post-commit stage (parallelism 1): learns from the committers what was committed, decides when a
 * partition is complete and runs the policies for it, once (see docs/partition-commit.md).
 *
 * <p>What Flink 2.3's {@code CommitterOperator} sends here (read from its sources): for each checkpoint, only once all
 * of that committer subtask's committables of the checkpoint (and of every earlier one) are committed, one
 * {@code CommittableSummary} (committer subtask, number of committer subtasks sending, checkpoint id, count of
 * successful committables) followed by the successful committables as {@code CommittableWithLineage}; in checkpoint
 * order, on {@code notifyCheckpointComplete}. After a restore, a committer recommits what its restored state still
 * held and sends it again (so a checkpoint's messages may arrive a second time: a repeated summary starts that
 * subtask's batch afresh here). In BATCH (and STREAMING without checkpoints) everything is committed and sent at the
 * end of input, with the id the writers gave the end of input. A committer subtask that had nothing for a checkpoint
 * sends nothing for it; after an upscale the summaries say how many subtasks send (FLINK-37747).
 *
 * <p>Everything received goes into this operator's state until the checkpoint is complete; as messages that arrived
 * before a barrier are never sent again, the state, not a replay, carries them across a failure.
 */
public final class PartitionCommitter extends AbstractStreamOperator<Void>
        implements OneInputStreamOperator<CommittableMessage<FileSinkCommittable>, Void>,
                BoundedOneInput,
                ProcessingTimeService.ProcessingTimeCallback {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(PartitionCommitter.class);

    /** Hidden folder of the completion records: which policy finished which announcement. */
    public static final String COMPLETION_RECORDS = ".filesink-partitions";
    public static final String MANIFESTS = "_manifests";
    private static final long PROCESSING_TIME_CHECK_MILLIS = 1000;

    private final PartitionCommit settings;
    private final Path basePath;
    private final PartFileStorage storage;
    private final boolean batch;
    /** Whether the committers commit everything at the end of input (BATCH, or no checkpoints), before it ends here. */
    private final boolean commitsAtEndOfInput;

    private transient ListState<byte[]> stateStore;
    private transient PartitionCommitterStateSerializer serializer;
    private transient String seriesId;
    private transient PartitionLedger ledger;
    private transient CheckpointInbox inbox;
    private transient StorageSession session;
    private transient SinkMetrics.PartitionCommitterMetrics metrics;

    public PartitionCommitter(
            PartitionCommit settings, Path basePath, PartFileStorage storage, boolean batch, boolean checkpointing) {
        this.settings = settings;
        this.basePath = basePath;
        this.storage = storage;
        this.batch = batch;
        this.commitsAtEndOfInput = batch || !checkpointing;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        serializer = new PartitionCommitterStateSerializer(settings);
        stateStore = context.getOperatorStateStore()
                .getListState(new ListStateDescriptor<>("partition-committer-state", BytePrimitiveArraySerializer.INSTANCE));
        List<PartitionCommitterState> restored = new ArrayList<>();
        for (byte[] bytes : stateStore.get()) {
            restored.add(SimpleVersionedSerialization.readVersionAndDeSerialize(serializer, bytes));
        }
        if (restored.size() > 1) {
            throw new IllegalStateException("The partition committer runs with parallelism 1 but restored "
                    + restored.size() + " states");
        }
        if (restored.isEmpty()) {
            // A new series: manifests and completion records of another run without this state never collide. In
            // BATCH (no state) the job id: a rerun of this task after a failure continues the job's series.
            seriesId = batch
                    ? "batch-" + getRuntimeContext().getJobInfo().getJobId().toHexString()
                    : UUID.randomUUID().toString();
            ledger = new PartitionLedger(settings);
            inbox = new CheckpointInbox();
        } else {
            seriesId = restored.get(0).seriesId();
            ledger = restored.get(0).ledger();
            inbox = restored.get(0).inbox();
        }
    }

    @Override
    public void open() throws Exception {
        super.open();
        metrics = SinkMetrics.forPartitionCommitter(getMetricGroup());
        session = storage.open(basePath);
        PolicyContext context = new StoragePolicyContext(basePath, session);
        for (PartitionCommitPolicy policy : settings.policies()) {
            policy.open(context);
        }
        if (settings.trigger() == CommitTrigger.PROCESS_TIME && !batch) {
            ProcessingTimeService time = getProcessingTimeService();
            time.registerTimer(time.getCurrentProcessingTime() + PROCESSING_TIME_CHECK_MILLIS, this);
        }
        // What the restored state already holds may be complete (for example a checkpoint received before the failure).
        applyComplete(inbox.takeComplete(), false);
    }

    @Override
    public void processElement(StreamRecord<CommittableMessage<FileSinkCommittable>> element) throws Exception {
        CommittableMessage<FileSinkCommittable> message = element.getValue();
        if (message instanceof CommittableSummary) {
            CommittableSummary<FileSinkCommittable> summary = (CommittableSummary<FileSinkCommittable>) message;
            inbox.summary(summary.getCheckpointIdOrEOI(), summary.getSubtaskId(), summary.getNumberOfSubtasks(),
                    summary.getNumberOfCommittables());
        } else {
            CommittableWithLineage<FileSinkCommittable> lineage = (CommittableWithLineage<FileSinkCommittable>) message;
            FileSinkCommittable committable = lineage.getCommittable();
            long checkpointId = lineage.getCheckpointIdOrEOI();
            int subtask = lineage.getSubtaskId();
            if (committable.isProgress()) {
                inbox.progress(checkpointId, subtask, committable.progress());
            } else if (committable.hasPendingFile()) {
                inbox.file(checkpointId, subtask, new CommittedFileInfo(committable.bucketId(), committable.target(),
                        committable.size(), committable.recordCount(), batch ? Long.MAX_VALUE : checkpointId,
                        committable.minEventTime(), committable.maxEventTime()));
            } else {
                inbox.other(checkpointId, subtask);
            }
        }
        applyComplete(inbox.takeComplete(), false);
    }

    /**
     * In BATCH (and without checkpoints) the committers committed and sent everything before their input ended: all
     * partitions are complete now. In STREAMING the committers send their last commits after the final checkpoint,
     * that is after this operator's input may already have ended; the writers' last progress reports, not this call,
     * complete the partitions then.
     */
    @Override
    public void endInput() throws Exception {
        if (commitsAtEndOfInput) {
            applyComplete(inbox.takeAll(), true);
        }
    }

    @Override
    public void onProcessingTime(long time) throws Exception {
        announce(ledger.completePartitions(time, false));
        getProcessingTimeService().registerTimer(time + PROCESSING_TIME_CHECK_MILLIS, this);
    }

    private void applyComplete(List<CheckpointInbox.CheckpointBatch> batches, boolean inputEnded) throws Exception {
        long now = getProcessingTimeService().getCurrentProcessingTime();
        for (CheckpointInbox.CheckpointBatch checkpoint : batches) {
            ledger.apply(checkpoint, now);
            if (settings.checkpointManifests()) {
                writeManifest(checkpoint);
            }
        }
        if (!batches.isEmpty() || inputEnded) {
            announce(ledger.completePartitions(now, inputEnded));
        }
    }

    private void announce(List<PartitionLedger.Due> due) throws Exception {
        long watermark = ledger.writersWatermark();
        for (PartitionLedger.Due partition : due) {
            Announcement announcement = new Announcement(partition, basePath, settings.timeExtractor());
            for (PartitionCommitPolicy policy : settings.policies()) {
                String record = completionRecord(policy, partition);
                if (session.readFile(new Path(basePath, record)).isPresent()) {
                    LOG.info("Policy {} already finished announcement {} of partition {}; skipping it",
                            policy.name(), partition.announcement(), partition.bucketId());
                    continue;
                }
                policy.commit(announcement);
                session.createFileOnce(new Path(basePath, record), new byte[0]);
            }
            ledger.announced(partition);
            long now = getProcessingTimeService().getCurrentProcessingTime();
            long eventTimeDelay = watermark == Long.MIN_VALUE || watermark == Long.MAX_VALUE
                    ? 0
                    : watermark - safeEnd(partition.bucketId());
            long wallClockDelay = now - partition.firstDueMillis();
            metrics.announced(partition.announcement(), eventTimeDelay, wallClockDelay);
            LOG.info("Announced partition {} (announcement {}, {} files; watermark {} ms past its end, {} ms after "
                    + "it was found due)", partition.bucketId(), partition.announcement(), partition.files().size(),
                    eventTimeDelay, wallClockDelay);
        }
    }

    private long safeEnd(String bucketId) {
        try {
            return settings.timeExtractor().end(bucketId).toEpochMilli();
        } catch (IllegalArgumentException e) {
            return 0;
        }
    }

    /** {@code .filesink-partitions/<series>/<policy>/<encoded bucket id>.<announcement>} below the base path. */
    private String completionRecord(PartitionCommitPolicy policy, PartitionLedger.Due partition) {
        return COMPLETION_RECORDS + "/" + seriesId + "/" + policy.name() + "/"
                + URLEncoder.encode(partition.bucketId(), StandardCharsets.UTF_8) + "." + partition.announcement();
    }

    /**
     * One manifest per checkpoint that committed files: {@code _manifests/<series>/<checkpoint, 20 digits>.json},
     * written once. A replay writes the same content (files sorted by path); other content fails loudly.
     */
    private void writeManifest(CheckpointInbox.CheckpointBatch checkpoint) throws IOException {
        if (checkpoint.files().isEmpty()) {
            return;
        }
        long checkpointId = batch ? Long.MAX_VALUE : checkpoint.checkpointId();
        List<CommittedFileInfo> files = new ArrayList<>(checkpoint.files());
        files.sort(Comparator.comparing(file -> file.path().toString()));
        StringBuilder json = new StringBuilder("{\n  \"checkpoint\": ").append(checkpointId).append(",\n  \"files\": [\n");
        for (int i = 0; i < files.size(); i++) {
            json.append("    ").append(PartitionJson.file(files.get(i), files.get(i).bucketId()));
            json.append(i + 1 < files.size() ? ",\n" : "\n");
        }
        json.append("  ]\n}\n");
        byte[] content = json.toString().getBytes(StandardCharsets.UTF_8);
        Path manifest = new Path(basePath, MANIFESTS + "/" + seriesId + "/" + String.format("%020d", checkpointId) + ".json");
        if (!session.createFileOnce(manifest, content)) {
            Optional<byte[]> existing = session.readFile(manifest);
            if (existing.isEmpty() || !Arrays.equals(existing.get(), content)) {
                throw new IOException("Manifest " + manifest + " exists with other content; not overwriting it");
            }
        }
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        stateStore.update(List.of(SimpleVersionedSerialization.writeVersionAndSerialize(
                serializer, new PartitionCommitterState(seriesId, ledger, inbox))));
    }

    @Override
    public void close() throws Exception {
        Exception failure = null;
        for (PartitionCommitPolicy policy : settings.policies()) {
            try {
                policy.close();
            } catch (Exception e) {
                failure = failure == null ? e : failure;
            }
        }
        if (session != null) {
            session.close();
        }
        super.close();
        if (failure != null) {
            throw failure;
        }
    }

    /** The series id of this job's manifests and completion records (tests). */
    public String seriesId() {
        return seriesId;
    }
}
