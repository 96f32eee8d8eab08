package dev.filesink;

import dev.filesink.bucketassigners.DateTimeBucketAssigner;
import dev.filesink.compaction.CompactionOperator;
import dev.filesink.compaction.CompactionSettings;
import dev.filesink.committer.CommitRetryPolicy;
import dev.filesink.committer.FileCommitter;
import dev.filesink.committer.FileSinkCommittable;
import dev.filesink.committer.FileSinkCommittableSerializer;
import dev.filesink.metrics.SinkMetrics;
import dev.filesink.partfile.BulkPartFileFactory;
import dev.filesink.partfile.PartFileFactory;
import dev.filesink.partfile.PartFileNaming;
import dev.filesink.partfile.RowPartFileFactory;
import dev.filesink.partitioncommit.PartitionCommit;
import dev.filesink.partitioncommit.PartitionCommitter;
import dev.filesink.partitioncommit.PartitionTracker;
import dev.filesink.rollingpolicies.DefaultRollingPolicy;
import dev.filesink.rollingpolicies.OnCheckpointRollingPolicy;
import dev.filesink.storage.FileSystemStorage;
import dev.filesink.storage.PartFileStorage;
import dev.filesink.storage.RecoverableSerializers;
import dev.filesink.storage.StorageSession;
import dev.filesink.writer.FileWriter;
import dev.filesink.writer.FileWriterState;
import dev.filesink.writer.FileWriterStateSerializer;
import dev.filesink.writer.WriterIdentity;
import dev.filesink.writer.WriterSettings;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.SupportsConcurrentExecutionAttempts;
import org.apache.flink.api.common.typeinfo.BasicTypeInfo;
import org.apache.flink.api.common.serialization.BulkWriter;
import org.apache.flink.api.common.serialization.Encoder;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.SupportsWriterState;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.configuration.BatchExecutionOptions;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.connector.file.sink.compactor.FileCompactStrategy;
import org.apache.flink.connector.file.sink.compactor.FileCompactor;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.connector.sink2.CommittableMessage;
import org.apache.flink.streaming.api.connector.sink2.CommittableWithLineage;
import org.apache.flink.streaming.api.connector.sink2.SupportsPostCommitTopology;
import org.apache.flink.streaming.api.connector.sink2.SupportsPreCommitTopology;
import org.apache.flink.streaming.api.connector.sink2.SupportsPreWriteTopology;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.sink.filesystem.BucketAssigner;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.RollingPolicy;
import org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.CheckpointRollingPolicy;

import javax.annotation.Nullable;

import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * An exactly-once file sink for Flink DataStream jobs: a drop-in for Flink's
 * {@code org.apache.flink.connector.file.sink.FileSink} with the same builders and Flink's own {@link Encoder},
 * {@link BulkWriter.Factory}, {@link BucketAssigner}, {@link RollingPolicy} and {@link OutputFileConfig}.
 *
 * <p>Writers keep one in-progress part file per bucket; when a checkpoint completes (STREAMING) or the input ends
 * (BATCH), the committer makes the pending files visible. Readers only ever see finished files.
 *
 * <p>In BATCH jobs with speculative execution, writer subtasks may run as concurrent attempts: each attempt writes
 * under its own uid, only the attempt that finishes first hands its files to the committer, and the others discard
 * their files when they are cancelled.
 *
 * <p>With {@code enableCompact} (Flink's compactor API), a compaction operator between writers and committers
 * merges each bucket's small files before they become visible; see docs/compaction.md.
 */
public final class FileSink<IN>
        implements Sink<IN>,
                SupportsWriterState<IN, FileWriterState>,
                SupportsWriterState.WithCompatibleState,
                SupportsCommitter<FileSinkCommittable>,
                SupportsConcurrentExecutionAttempts,
                SupportsPreWriteTopology<IN>,
                SupportsPreCommitTopology<FileSinkCommittable, FileSinkCommittable>,
                SupportsPostCommitTopology<FileSinkCommittable> {

    private static final long serialVersionUID = 1L;

    private final WriterSettings<IN> writerSettings;
    private final int commitParallelism;
    private final CommitRetryPolicy commitRetryPolicy;
    /**
     * Random for every built sink, so for every submission of the job (its {@code main()} builds the sink), and the
     * same in every attempt of that submission (they all run the same job graph): part file names of two runs never
     * collide, whatever their job ids.
     */
    private final String runToken;
    /** Compaction as configured; null if neither {@code enableCompact} nor {@code disableCompact} was called. */
    @Nullable private final CompactionSettings compaction;
    /** Whether the job runs speculative attempts of the writers; learned from the job's configuration. */
    private boolean concurrentAttempts;

    private FileSink(
            WriterSettings<IN> writerSettings,
            int commitParallelism,
            CommitRetryPolicy commitRetryPolicy,
            String runToken,
            @Nullable CompactionSettings compaction) {
        this.writerSettings = writerSettings;
        this.commitParallelism = commitParallelism;
        this.commitRetryPolicy = commitRetryPolicy;
        this.runToken = runToken;
        this.compaction = compaction;
    }

    /** A sink of a row format: records encoded one after another, part files may span checkpoints. */
    public static <IN> DefaultRowFormatBuilder<IN> forRowFormat(Path basePath, Encoder<IN> encoder) {
        return new DefaultRowFormatBuilder<>(basePath, encoder);
    }

    /** A sink of a bulk format (Parquet, ORC, Avro...): part files roll on every checkpoint. */
    public static <IN> DefaultBulkFormatBuilder<IN> forBulkFormat(Path basePath, BulkWriter.Factory<IN> writerFactory) {
        return new DefaultBulkFormatBuilder<>(basePath, writerFactory);
    }

    @Override
    public FileWriter<IN> createWriter(WriterInitContext context) throws IOException {
        return restoreWriter(context, List.of());
    }

    @Override
    public FileWriter<IN> restoreWriter(WriterInitContext context, Collection<FileWriterState> restored)
            throws IOException {
        StorageSession storage = writerSettings.storage().open(writerSettings.basePath());
        storage.checkWritable();
        WriterIdentity identity = WriterIdentity.derive(
                restored,
                runToken,
                context.getJobInfo().getJobId().toHexString(),
                context.getTaskInfo().getIndexOfThisSubtask(),
                context.getRestoredCheckpointId(),
                context.getTaskInfo().getAttemptNumber(),
                concurrentAttempts);
        SinkMetrics.WriterMetrics metrics = SinkMetrics.forWriter(context.metricGroup());
        FileWriter<IN> writer = new FileWriter<>(
                writerSettings, storage, identity, restored, context.getRestoredCheckpointId(),
                context.getProcessingTimeService(), metrics);
        metrics.watch(writer);
        PartitionCommit partitionCommit = writerSettings.partitionCommit();
        if (partitionCommit != null) {
            writer.trackPartitions(new PartitionTracker(partitionCommit,
                    context.getTaskInfo().getIndexOfThisSubtask(),
                    context.getTaskInfo().getNumberOfParallelSubtasks(),
                    metrics.lateRecordsDropped(), metrics.lateRecordsWritten()));
        }
        return writer;
    }

    /**
     * Adds nothing to the job: reads from the job's configuration whether writer attempts may run concurrently
     * (BATCH with {@code execution.batch.speculative.enabled}), which changes how attempts name their files.
     */
    @Override
    public DataStream<IN> addPreWriteTopology(DataStream<IN> input) {
        ReadableConfig config = input.getExecutionEnvironment().getConfiguration();
        concurrentAttempts = config.get(ExecutionOptions.RUNTIME_MODE) != RuntimeExecutionMode.STREAMING
                && config.get(BatchExecutionOptions.SPECULATIVE_ENABLED);
        return input;
    }

    /**
     * With compaction configured (enabled, or disabled explicitly to drain a restored state), a compaction operator
     * at the writers' parallelism between writers and committers; the writers' files reach it partitioned by bucket,
     * so that a bucket's small files meet. Without, the committables go straight on.
     */
    @Override
    public DataStream<CommittableMessage<FileSinkCommittable>> addPreCommitTopology(
            DataStream<CommittableMessage<FileSinkCommittable>> committables) {
        if (compaction == null) {
            return committables;
        }
        SingleOutputStreamOperator<CommittableMessage<FileSinkCommittable>> compactor = committables
                .partitionCustom(FileSink::compactorOf, FileSink::bucketOf)
                .transform("Compactor", committables.getType(), new CompactionOperator<>(writerSettings, compaction));
        // The committers take the compactors' summaries on a forward edge: the parallelism must be theirs, fixed
        // exactly as Flink fixes the committers' (the writers' parallelism, configured if the writers' is), or an
        // adaptive BATCH scheduler could give the compactors another and split summaries from their committables.
        compactor.getTransformation().setParallelism(
                committables.getParallelism(), committables.getTransformation().isParallelismConfigured());
        // Not chained to the committer: in BATCH a failing committer then reruns alone on the compactors' kept
        // output; chained, a rerun would compact again inputs that the failed attempt's commits already discarded.
        compactor.disableChaining();
        return compactor;
    }

    /**
     * With partition commit configured, the partition committer (parallelism 1) after the committers: it receives
     * what they committed and announces complete partitions (docs/partition-commit.md). Without, nothing is added.
     */
    @Override
    public void addPostCommitTopology(DataStream<CommittableMessage<FileSinkCommittable>> committables) {
        PartitionCommit partitionCommit = writerSettings.partitionCommit();
        if (partitionCommit == null) {
            return;
        }
        boolean batch = committables.getExecutionEnvironment().getConfiguration().get(ExecutionOptions.RUNTIME_MODE)
                == RuntimeExecutionMode.BATCH;
        SingleOutputStreamOperator<Void> committer = committables.global().transform("Partition Committer",
                BasicTypeInfo.VOID_TYPE_INFO,
                new PartitionCommitter(partitionCommit, writerSettings.basePath(), writerSettings.storage(), batch,
                        committables.getExecutionEnvironment().getCheckpointConfig().isCheckpointingEnabled()));
        committer.setParallelism(1);
        committer.setMaxParallelism(1);
        // Flink prefixes it with the sink's uid ("<uid>: Partition Committer"); set only when the sink has one, as
        // Flink requires a sink uid once its added operators set theirs.
        if (committables.getTransformation().getUid() != null) {
            committer.uid("Partition Committer");
        }
    }

    /** A writer's progress report (partition commit) is keyed by this prefix and the writer subtask. */
    private static final String PROGRESS_KEY = "\u0000progress:";

    private static String bucketOf(CommittableMessage<FileSinkCommittable> message) {
        if (!(message instanceof CommittableWithLineage)) {
            return "";
        }
        FileSinkCommittable committable = ((CommittableWithLineage<FileSinkCommittable>) message).getCommittable();
        return committable.isProgress() ? PROGRESS_KEY + committable.progress().subtask() : committable.bucketId();
    }

    /**
     * A bucket's files meet in one compactor; writer subtask i's progress goes to compactor i (mod their number),
     * so that each compactor, and the committer after it, forwards one writer's reports.
     */
    private static int compactorOf(String key, int compactors) {
        if (key.startsWith(PROGRESS_KEY)) {
            return Math.floorMod(Integer.parseInt(key.substring(PROGRESS_KEY.length())), compactors);
        }
        return Math.floorMod(key.hashCode(), compactors);
    }

    @Override
    public SimpleVersionedSerializer<FileSinkCommittable> getWriteResultSerializer() {
        return getCommittableSerializer();
    }

    /** Compaction as configured, or null (tests). */
    @Nullable
    public CompactionSettings compaction() {
        return compaction;
    }

    /** Whether writers expect concurrent attempts (tests). */
    public boolean expectsConcurrentAttempts() {
        return concurrentAttempts;
    }

    @Override
    public SimpleVersionedSerializer<FileWriterState> getWriterStateSerializer() {
        return new FileWriterStateSerializer(serializers(), new PartFileNaming(writerSettings.outputFileConfig()));
    }

    /**
     * The state name of the legacy {@code StreamingFileSink}, which Flink's FileSink takes over too. Flink's FileSink
     * itself keeps its state under the same names as ours; our serializers tell its bytes apart (see
     * docs/switching-from-flink-filesink.md).
     */
    @Override
    public Collection<String> getCompatibleWriterStateNames() {
        return List.of("bucket-states");
    }

    @Override
    public Committer<FileSinkCommittable> createCommitter(CommitterInitContext context) throws IOException {
        StorageSession storage = writerSettings.storage().open(writerSettings.basePath());
        return new FileCommitter(
                storage, commitParallelism, commitRetryPolicy, SinkMetrics.forCommitter(context.metricGroup()));
    }

    @Override
    public SimpleVersionedSerializer<FileSinkCommittable> getCommittableSerializer() {
        return new FileSinkCommittableSerializer(serializers());
    }

    private RecoverableSerializers serializers() {
        return new RecoverableSerializers(writerSettings.storage(), writerSettings.basePath());
    }

    /** The validated settings (tests, tools). */
    public WriterSettings<IN> writerSettings() {
        return writerSettings;
    }

    public int commitParallelism() {
        return commitParallelism;
    }

    /** The token that sets this sink's part file names apart from other runs' (tests, tools). */
    public String runToken() {
        return runToken;
    }

    // ------------------------------------------------------------------------------------------------------------
    // Builders
    // ------------------------------------------------------------------------------------------------------------

    /** Options both builders share; {@code T} is the concrete builder, returned for chaining. */
    public abstract static class BucketsBuilder<IN, T extends BucketsBuilder<IN, T>> implements java.io.Serializable {

        private static final long serialVersionUID = 1L;

        public static final long DEFAULT_BUCKET_CHECK_INTERVAL = 60_000L;
        public static final int DEFAULT_WRITE_BUFFER_SIZE = 64 * 1024;
        public static final int DEFAULT_COMMIT_PARALLELISM = 8;

        protected final Path basePath;
        protected BucketAssigner<IN, String> bucketAssigner = new DateTimeBucketAssigner<>();
        protected RollingPolicy<IN, String> rollingPolicy;
        protected OutputFileConfig outputFileConfig = OutputFileConfig.builder().build();
        protected long bucketCheckInterval = DEFAULT_BUCKET_CHECK_INTERVAL;
        protected PartFileStorage storage = FileSystemStorage.INSTANCE;
        protected int writeBufferSize = DEFAULT_WRITE_BUFFER_SIZE;
        protected int commitParallelism = DEFAULT_COMMIT_PARALLELISM;
        protected CommitRetryPolicy commitRetryPolicy = CommitRetryPolicy.DEFAULT;
        protected int maxOpenPartFiles;
        protected long maxBufferedBytes;
        protected boolean discardOrphans = true;
        @Nullable protected CompactionSettings compaction;
        @Nullable protected String defaultPartSuffix;
        @Nullable protected PartitionCommit partitionCommit;

        protected BucketsBuilder(Path basePath) {
            this.basePath = basePath;
        }

        @SuppressWarnings("unchecked")
        protected final T self() {
            return (T) this;
        }

        /** How often time-based rolling is checked and idle buckets are dropped, in milliseconds. */
        public T withBucketCheckInterval(long interval) {
            this.bucketCheckInterval = interval;
            return self();
        }

        public T withBucketAssigner(BucketAssigner<IN, String> assigner) {
            this.bucketAssigner = assigner;
            return self();
        }

        public T withOutputFileConfig(OutputFileConfig config) {
            this.outputFileConfig = config;
            return self();
        }

        /**
         * The part suffix used when the output file config sets none. Our formats set their extension here
         * ({@code ".jsonl.gz"}, {@code ".parquet"}), so a config that only sets a prefix keeps it.
         */
        public T withDefaultPartSuffix(String suffix) {
            this.defaultPartSuffix = suffix;
            return self();
        }

        /** The storage back end; default: the base path's Flink file system (local, HDFS). */
        public T withStorage(PartFileStorage storage) {
            this.storage = storage;
            return self();
        }

        /** Bytes buffered per open part file before they are handed to storage (default 64 KiB). */
        public T withWriteBufferSize(int bytes) {
            this.writeBufferSize = bytes;
            return self();
        }

        /** How many pending files the committer commits at once (default 8). */
        public T withCommitParallelism(int threads) {
            this.commitParallelism = threads;
            return self();
        }

        /** Attempts and backoff for a failing commit within one commit round (default 5, 100 ms doubling to 5 s). */
        public T withCommitRetries(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
            this.commitRetryPolicy = new CommitRetryPolicy(maxAttempts, initialBackoff, maxBackoff);
            return self();
        }

        /**
         * At most this many in-progress part files per writer subtask; when a record would open one more, the
         * least recently written is rolled (0, the default: no limit).
         */
        public T withMaxOpenPartFiles(int maxOpen) {
            this.maxOpenPartFiles = maxOpen;
            return self();
        }

        /**
         * A budget for the memory that open part files hold per writer subtask (write buffers, plus what bulk
         * formats report); past it, the largest is rolled (0, the default: no budget).
         */
        public T withMaxBufferedBytes(long bytes) {
            this.maxBufferedBytes = bytes;
            return self();
        }

        /**
         * Whether a restarted writer discards in-progress files that failed attempts left, and collects staged
         * persists that no restored state references for removal (default true).
         */
        public T withOrphanCleanup(boolean enabled) {
            this.discardOrphans = enabled;
            return self();
        }

        /**
         * As Flink's: merges each bucket's small part files before they become visible, when their size reaches the
         * strategy's threshold and/or every N checkpoints, with Flink's compactor ({@code ConcatFileCompactor}, any
         * {@code OutputStreamBasedFileCompactor}, or a {@code RecordWiseFileCompactor} with its reader factory).
         * Local folders and HDFS; see docs/compaction.md.
         */
        public T enableCompact(FileCompactStrategy strategy, FileCompactor compactor) {
            this.compaction = CompactionSettings.enabled(strategy, compactor);
            return self();
        }

        /**
         * As Flink's: no more compaction, while files that a restored state still holds back for compaction are
         * committed as they are. A job that compacted must call this (not merely drop {@code enableCompact}) when it
         * restores from a state taken with compaction on.
         */
        public T disableCompact() {
            this.compaction = CompactionSettings.disabled();
            return self();
        }

        /**
         * Announces complete partitions (buckets): a success file, checkpoint manifests, custom policies, once each,
         * when event time or processing time says a partition is complete (see docs/partition-commit.md). Default:
         * none, and the job runs exactly as without it.
         */
        public T withPartitionCommit(PartitionCommit partitionCommit) {
            this.partitionCommit = partitionCommit;
            return self();
        }

        protected abstract PartFileFactory<IN> partFileFactory();

        protected abstract RollingPolicy<IN, String> defaultRollingPolicy();

        /** The storage the sink gets; a builder may adapt the configured one (bulk: no local writing). */
        protected PartFileStorage storageToBuild() {
            return storage;
        }

        /** Takes over every option of another builder (a builder that changes its type keeps what was set). */
        protected void copyOptionsFrom(BucketsBuilder<IN, ?> other) {
            this.bucketAssigner = other.bucketAssigner;
            this.rollingPolicy = other.rollingPolicy;
            this.outputFileConfig = other.outputFileConfig;
            this.bucketCheckInterval = other.bucketCheckInterval;
            this.storage = other.storage;
            this.writeBufferSize = other.writeBufferSize;
            this.commitParallelism = other.commitParallelism;
            this.commitRetryPolicy = other.commitRetryPolicy;
            this.maxOpenPartFiles = other.maxOpenPartFiles;
            this.maxBufferedBytes = other.maxBufferedBytes;
            this.discardOrphans = other.discardOrphans;
            this.compaction = other.compaction;
            this.defaultPartSuffix = other.defaultPartSuffix;
            this.partitionCommit = other.partitionCommit;
        }

        protected void validateRollingPolicy(RollingPolicy<IN, String> policy) {}

        public FileSink<IN> build() {
            requireArgument(basePath != null, "basePath must not be null");
            requireArgument(bucketAssigner != null, "bucketAssigner must not be null");
            requireArgument(outputFileConfig != null, "outputFileConfig must not be null");
            requireArgument(storage != null, "storage must not be null");
            requireArgument(bucketCheckInterval > 0, "bucketCheckInterval must be positive, was " + bucketCheckInterval);
            requireArgument(writeBufferSize > 0, "writeBufferSize must be positive, was " + writeBufferSize);
            requireArgument(commitParallelism > 0, "commitParallelism must be positive, was " + commitParallelism);
            requireArgument(maxOpenPartFiles >= 0, "maxOpenPartFiles must not be negative, was " + maxOpenPartFiles);
            requireArgument(maxBufferedBytes >= 0, "maxBufferedBytes must not be negative, was " + maxBufferedBytes);
            RollingPolicy<IN, String> policy = rollingPolicy != null ? rollingPolicy : defaultRollingPolicy();
            validateRollingPolicy(policy);
            PartFileStorage built = storageToBuild();
            if (compaction != null && compaction.isEnabled()) {
                built = built.forCompaction();
            }
            WriterSettings<IN> settings = new WriterSettings<>(
                    basePath, built, bucketAssigner, policy, partFileFactory(), withDefaultSuffix(outputFileConfig),
                    bucketCheckInterval, writeBufferSize, maxOpenPartFiles, maxBufferedBytes, discardOrphans,
                    partitionCommit);
            return new FileSink<>(
                    settings, commitParallelism, commitRetryPolicy, UUID.randomUUID().toString(), compaction);
        }

        private OutputFileConfig withDefaultSuffix(OutputFileConfig config) {
            if (defaultPartSuffix == null || (config.getPartSuffix() != null && !config.getPartSuffix().isEmpty())) {
                return config;
            }
            return OutputFileConfig.builder()
                    .withPartPrefix(config.getPartPrefix())
                    .withPartSuffix(defaultPartSuffix)
                    .build();
        }

        protected static void requireArgument(boolean condition, String message) {
            if (!condition) {
                throw new IllegalArgumentException(message);
            }
        }
    }

    /** Builds a row-format sink; see {@link #forRowFormat}. */
    public static class RowFormatBuilder<IN, T extends RowFormatBuilder<IN, T>> extends BucketsBuilder<IN, T> {

        private static final long serialVersionUID = 1L;

        private final Encoder<IN> encoder;

        protected RowFormatBuilder(Path basePath, Encoder<IN> encoder) {
            super(basePath);
            this.encoder = encoder;
        }

        /** Any policy; default: {@link DefaultRollingPolicy} with its defaults (128 MiB, 60 s, 60 s). */
        public T withRollingPolicy(RollingPolicy<IN, String> policy) {
            this.rollingPolicy = policy;
            return self();
        }

        @Override
        protected PartFileFactory<IN> partFileFactory() {
            requireArgument(encoder != null, "encoder must not be null");
            return new RowPartFileFactory<>(encoder);
        }

        @Override
        protected RollingPolicy<IN, String> defaultRollingPolicy() {
            return DefaultRollingPolicy.builder().build();
        }
    }

    /** The row-format builder {@link #forRowFormat} returns. */
    public static final class DefaultRowFormatBuilder<IN> extends RowFormatBuilder<IN, DefaultRowFormatBuilder<IN>> {

        private static final long serialVersionUID = 1L;

        private DefaultRowFormatBuilder(Path basePath, Encoder<IN> encoder) {
            super(basePath, encoder);
        }
    }

    /** Builds a bulk-format sink; see {@link #forBulkFormat}. */
    public static class BulkFormatBuilder<IN, T extends BulkFormatBuilder<IN, T>> extends BucketsBuilder<IN, T> {

        private static final long serialVersionUID = 1L;

        private final BulkWriter.Factory<IN> writerFactory;
        private boolean localWritingDisabled;

        protected BulkFormatBuilder(Path basePath, BulkWriter.Factory<IN> writerFactory) {
            super(basePath);
            this.writerFactory = writerFactory;
        }

        /**
         * As Flink's: HDFS places no replica of the part files' blocks on the writer's own data node (spreads the
         * data of a job whose writers run next to data nodes). Other storages are unaffected.
         */
        public T disableLocalWriting() {
            this.localWritingDisabled = true;
            return self();
        }

        /**
         * A new builder with this bucket assigner and every other option of this one (Flink's builder returns a new
         * builder here, too; it is kept for source compatibility, {@code withBucketAssigner} does the same).
         */
        public BulkFormatBuilder<IN, ? extends BulkFormatBuilder<IN, ?>> withNewBucketAssigner(
                BucketAssigner<IN, String> assigner) {
            requireArgument(assigner != null, "bucketAssigner must not be null");
            DefaultBulkFormatBuilder<IN> copy = new DefaultBulkFormatBuilder<>(basePath, writerFactory);
            copy.copyOptionsFrom(this);
            ((BulkFormatBuilder<IN, ?>) copy).localWritingDisabled = localWritingDisabled;
            copy.bucketAssigner = assigner;
            return copy;
        }

        @Override
        protected PartFileStorage storageToBuild() {
            return localWritingDisabled && storage == FileSystemStorage.INSTANCE
                    ? FileSystemStorage.WITHOUT_LOCAL_WRITING
                    : storage;
        }

        /**
         * A policy that rolls on every checkpoint, as bulk part files cannot be resumed: a
         * {@code CheckpointRollingPolicy} (Flink's or ours) or any policy that says so, checked at {@code build()}.
         * Default: {@link OnCheckpointRollingPolicy}.
         */
        public T withRollingPolicy(RollingPolicy<IN, String> policy) {
            this.rollingPolicy = policy;
            return self();
        }

        @Override
        protected PartFileFactory<IN> partFileFactory() {
            requireArgument(writerFactory != null, "writerFactory (bulk format) must not be null");
            return new BulkPartFileFactory<>(writerFactory);
        }

        @Override
        protected RollingPolicy<IN, String> defaultRollingPolicy() {
            return OnCheckpointRollingPolicy.build();
        }

        @Override
        protected void validateRollingPolicy(RollingPolicy<IN, String> policy) {
            if (policy instanceof CheckpointRollingPolicy) {
                return;
            }
            boolean rollsOnCheckpoint;
            try {
                rollsOnCheckpoint = policy.shouldRollOnCheckpoint(RollingPolicyProbe.anyPartFile());
            } catch (IOException | RuntimeException e) {
                rollsOnCheckpoint = false;
            }
            requireArgument(rollsOnCheckpoint, "rollingPolicy: bulk formats need a policy that rolls on every "
                    + "checkpoint (a CheckpointRollingPolicy), got " + policy);
        }
    }

    /** The bulk-format builder {@link #forBulkFormat} returns. */
    public static final class DefaultBulkFormatBuilder<IN> extends BulkFormatBuilder<IN, DefaultBulkFormatBuilder<IN>> {

        private static final long serialVersionUID = 1L;

        private DefaultBulkFormatBuilder(Path basePath, BulkWriter.Factory<IN> writerFactory) {
            super(basePath, writerFactory);
        }
    }
}
