package dev.filesink.writer;

import dev.filesink.FileSink;
import dev.filesink.bucketassigners.BasePathBucketAssigner;
import dev.filesink.committer.FileSinkCommittable;
import dev.filesink.metrics.SinkMetrics;
import dev.filesink.partfile.RollReason;
import dev.filesink.rollingpolicies.DefaultRollingPolicy;
import dev.filesink.storage.CommitOutcome;
import dev.filesink.storage.FileSystemStorage;
import dev.filesink.storage.StorageSession;
import dev.filesink.testing.SkippingLines;

import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.common.serialization.SimpleStringEncoder;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.RecoverableWriter;
import org.apache.flink.runtime.metrics.groups.InternalSinkWriterMetricGroup;
import org.apache.flink.runtime.metrics.groups.UnregisteredMetricGroups;
import org.apache.flink.streaming.api.functions.sink.filesystem.BucketAssigner;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ScheduledFuture;

import static org.assertj.core.api.Assertions.assertThat;

/** The writer on real local files, with a processing-time service the test moves by hand. */
class FileWriterTest {

    @TempDir java.nio.file.Path dir;

    private final ManualTime time = new ManualTime();

    @Test
    void timeBasedRollingFiresWithoutRecordsAndIdleBucketsAreDropped() throws Exception {
        FileWriter<String> writer = writer(DefaultRollingPolicy.builder()
                .withInactivityInterval(Duration.ofSeconds(10))
                .withRolloverInterval(Duration.ofMinutes(5))
                .build(), 0);
        for (int i = 0; i < 30; i++) {
            writer.write("r" + i, context());
        }
        assertThat(writer.activeBucketCount()).isEqualTo(3);
        assertThat(writer.openPartFileCount()).isEqualTo(3);

        time.advanceTo(5_000); // not inactive long enough
        assertThat(writer.prepareCommit()).isEmpty();

        time.advanceTo(11_000); // no records since 0: the timer rolls all three
        Collection<FileSinkCommittable> committables = writer.prepareCommit();
        assertThat(committables).hasSize(3);
        assertThat(writer.activeBucketCount()).isZero();
        assertThat(writer.openPartFileCount()).isZero();

        StorageSession storage = FileSystemStorage.INSTANCE.open(base());
        for (FileSinkCommittable committable : committables) {
            assertThat(storage.commit(committable.target(), committable.pendingFile(), committable.size()))
                    .isEqualTo(CommitOutcome.COMMITTED);
            assertThat(Files.readAllLines(java.nio.file.Path.of(committable.target().toUri()))).hasSize(10);
        }
        writer.close();
    }

    @Test
    void theOpenFileLimitRollsTheLeastRecentlyWrittenBucket() throws Exception {
        FileWriter<String> writer = writer(DefaultRollingPolicy.builder().build(), 2);
        writer.write("r0", context()); // bucket 0
        writer.write("r1", context()); // bucket 1
        writer.write("r3", context()); // bucket 0 again: now bucket 1 is the least recently written
        writer.write("r2", context()); // bucket 2 needs room
        assertThat(writer.openPartFileCount()).isEqualTo(2);
        Collection<FileSinkCommittable> rolled = writer.prepareCommit();
        // Only the capacity roll is pending; the two open files span the checkpoint.
        assertThat(rolled).hasSize(1);
        assertThat(rolled.iterator().next().bucketId()).isEqualTo("b1");
        writer.close();
    }

    @Test
    void snapshotPersistsOpenFilesAndARestoredWriterResumesThem() throws Exception {
        FileWriter<String> writer = writer(DefaultRollingPolicy.builder().build(), 0);
        writer.write("r0", context());
        writer.write("r1", context());
        assertThat(writer.prepareCommit()).isEmpty();
        List<FileWriterState> state = writer.snapshotState(1);
        writer.write("r3", context()); // after the checkpoint: must disappear on restore
        writer.close();

        FileWriter<String> restored = new FileWriter<>(settings(DefaultRollingPolicy.builder().build(), 0),
                FileSystemStorage.INSTANCE.open(base()),
                WriterIdentity.derive(state, "run", "job", 0, OptionalLong.of(1), 1), state, time, metrics());
        restored.flush(true);
        Collection<FileSinkCommittable> committables = files(restored.prepareCommit());
        assertThat(committables).hasSize(2);
        StorageSession storage = FileSystemStorage.INSTANCE.open(base());
        List<String> lines = new ArrayList<>();
        for (FileSinkCommittable committable : committables) {
            storage.commit(committable.target(), committable.pendingFile(), committable.size());
            lines.addAll(Files.readAllLines(java.nio.file.Path.of(committable.target().toUri())));
        }
        assertThat(lines).containsExactlyInAnyOrder("r0", "r1");
        restored.close();
    }

    @Test
    void aWriterRestoredWithTwoOpenFilesOfOneBucketResumesOneAndCommitsTheOtherAsAMerge() throws Exception {
        DefaultRollingPolicy<String, String> policy = DefaultRollingPolicy.builder().build();
        List<FileWriterState> states = new ArrayList<>();
        for (int subtask = 0; subtask < 2; subtask++) {
            FileWriter<String> writer = new FileWriter<>(settings(policy, 0), FileSystemStorage.INSTANCE.open(base()),
                    WriterIdentity.derive(List.of(), "run", "job", subtask, OptionalLong.empty(), 0), List.of(), time,
                    metrics());
            writer.write("r" + (3 * subtask), context()); // both into bucket b0
            writer.prepareCommit();
            states.addAll(writer.snapshotState(1));
            writer.close();
        }

        SinkMetrics.WriterMetrics metrics = metrics();
        FileWriter<String> merged = new FileWriter<>(settings(policy, 0), FileSystemStorage.INSTANCE.open(base()),
                WriterIdentity.derive(states, "run", "job", 0, OptionalLong.of(1), 0), states, time, metrics);
        assertThat(metrics.rolledBy(RollReason.MERGE)).as("files committed as they were").isEqualTo(1);
        assertThat(merged.openPartFileCount()).as("file resumed").isEqualTo(1);
        merged.flush(true);
        Collection<FileSinkCommittable> committables = files(merged.prepareCommit());
        assertThat(committables).hasSize(2);
        assertThat(metrics.rolledBy(RollReason.END_OF_INPUT)).isEqualTo(1);
        merged.close();
    }

    @Test
    void aRestoredWriterHandsUnreferencedPersistsToTheCommitterOnceAndCountsTheCleanUps() throws Exception {
        FileWriter<String> writer = writer(DefaultRollingPolicy.builder().build(), 0);
        writer.write("r0", context());
        writer.write("r1", context());
        writer.prepareCommit();
        List<FileWriterState> state = writer.snapshotState(1);
        writer.write("r5", context()); // a new file after the checkpoint: an orphan once restored
        writer.close();

        RecoverableWriter.ResumeRecoverable leftover = state.get(0).buckets().get(0).inProgress().resumable();
        List<Collection<RecoverableWriter.ResumeRecoverable>> asked = new ArrayList<>();
        List<java.util.function.Predicate<String>> owned = new ArrayList<>();
        StorageSession local = FileSystemStorage.INSTANCE.open(base());
        StorageSession storage = new StorageSession() {
            @Override
            public RecoverableWriter recoverableWriter() {
                return local.recoverableWriter();
            }

            @Override
            public void checkWritable() {}

            @Override
            public CommitOutcome commit(Path target, RecoverableWriter.CommitRecoverable file, long size)
                    throws java.io.IOException {
                return local.commit(target, file, size);
            }

            @Override
            public int discardOrphans(dev.filesink.storage.OrphanFilter filter) throws java.io.IOException {
                return local.discardOrphans(filter);
            }

            @Override
            public List<RecoverableWriter.ResumeRecoverable> unreferencedPersists(
                    Collection<RecoverableWriter.ResumeRecoverable> restored,
                    java.util.function.Predicate<String> ownedNames) {
                asked.add(restored);
                owned.add(ownedNames);
                return List.of(leftover);
            }
        };
        SinkMetrics.WriterMetrics metrics = metrics();
        WriterIdentity identity = WriterIdentity.derive(state, "run", "job", 0, OptionalLong.of(1), 0);
        FileWriter<String> restored = new FileWriter<>(
                settings(DefaultRollingPolicy.builder().build(), 0), storage, identity, state, time, metrics);

        assertThat(asked).singleElement().asList().hasSize(2);
        String oldUid = state.get(0).uid();
        assertThat(owned.get(0).test("part-" + oldUid + "-7")).as("a restored writer's file").isTrue();
        assertThat(owned.get(0).test("part-" + identity.uid() + "-0")).as("its own file").isTrue();
        assertThat(owned.get(0).test("part-" + java.util.UUID.randomUUID() + "-0")).as("someone else's").isFalse();
        assertThat(metrics.orphansDiscarded().getCount()).as("the file opened after the checkpoint").isEqualTo(1);
        assertThat(metrics.stagingLeftoversScheduled().getCount()).isEqualTo(1);

        Collection<FileSinkCommittable> first = restored.prepareCommit();
        assertThat(first).filteredOn(c -> !c.hasPendingFile())
                .singleElement().satisfies(c -> assertThat(c.resumableToCleanup()).isSameAs(leftover));
        assertThat(restored.prepareCommit()).as("handed over once").noneMatch(c -> !c.hasPendingFile());
        restored.close();
    }

    @Test
    void formatsCountSkippedRecordsIntoTheWritersRecordsSkippedMetric() throws Exception {
        WriterSettings<String> settings = FileSink.forRowFormat(base(), new SkippingLines())
                .withBucketAssigner(new BasePathBucketAssigner<>())
                .build()
                .writerSettings();
        SinkMetrics.WriterMetrics metrics = metrics();
        FileWriter<String> writer = new FileWriter<>(settings, FileSystemStorage.INSTANCE.open(base()),
                WriterIdentity.derive(List.of(), "run", "job", 0, OptionalLong.empty(), 0), List.of(), time, metrics);
        for (String record : List.of("r1", "bad-r2", "r3", "bad-r4", "bad-r5")) {
            writer.write(record, context());
        }
        assertThat(metrics.recordsSkipped().getCount()).isEqualTo(3);
        writer.close();
    }

    private FileWriter<String> writer(DefaultRollingPolicy<String, String> policy, int maxOpen) throws Exception {
        return new FileWriter<>(settings(policy, maxOpen), FileSystemStorage.INSTANCE.open(base()),
                WriterIdentity.derive(List.of(), "run", "job", 0, OptionalLong.empty(), 0), List.of(), time, metrics());
    }

    /** The committables without the bucket journal trims the writer hands over alongside. */
    private static List<FileSinkCommittable> files(Collection<FileSinkCommittable> committables) {
        return committables.stream().filter(c -> !c.isJournalTrim()).toList();
    }

    private WriterSettings<String> settings(DefaultRollingPolicy<String, String> policy, int maxOpen) {
        return FileSink.forRowFormat(base(), new SimpleStringEncoder<String>())
                .withBucketAssigner(new ByNumberModulo3())
                .withRollingPolicy(policy)
                .withBucketCheckInterval(1_000)
                .withMaxOpenPartFiles(maxOpen)
                .build()
                .writerSettings();
    }

    private Path base() {
        return new Path(dir.toUri());
    }

    private static SinkMetrics.WriterMetrics metrics() {
        return SinkMetrics.forWriter(InternalSinkWriterMetricGroup.wrap(
                UnregisteredMetricGroups.createUnregisteredOperatorMetricGroup()));
    }

    private static SinkWriter.Context context() {
        return new SinkWriter.Context() {
            @Override
            public long currentWatermark() {
                return Long.MIN_VALUE;
            }

            @Override
            public Long timestamp() {
                return null;
            }
        };
    }

    /** "r7" goes to bucket "b1". */
    static final class ByNumberModulo3 implements BucketAssigner<String, String> {
        @Override
        public String getBucketId(String element, Context context) {
            return "b" + Integer.parseInt(element.substring(1)) % 3;
        }

        @Override
        public org.apache.flink.core.io.SimpleVersionedSerializer<String> getSerializer() {
            return dev.filesink.bucketassigners.StringBucketIdSerializer.INSTANCE;
        }
    }

    /** Processing time that moves only when the test says, firing due timers. */
    static final class ManualTime implements ProcessingTimeService {
        private long now;
        private final List<long[]> dueTimes = new ArrayList<>();
        private final List<ProcessingTimeCallback> callbacks = new ArrayList<>();

        @Override
        public long getCurrentProcessingTime() {
            return now;
        }

        @Override
        public ScheduledFuture<?> registerTimer(long timestamp, ProcessingTimeCallback target) {
            dueTimes.add(new long[] {timestamp});
            callbacks.add(target);
            return null;
        }

        void advanceTo(long time) throws Exception {
            now = time;
            boolean fired = true;
            while (fired) {
                fired = false;
                for (int i = 0; i < dueTimes.size(); i++) {
                    if (dueTimes.get(i)[0] <= now) {
                        long due = dueTimes.remove(i)[0];
                        ProcessingTimeCallback callback = callbacks.remove(i);
                        callback.onProcessingTime(Math.max(due, now));
                        fired = true;
                        break;
                    }
                }
            }
        }
    }
}
