package dev.filesink.tools.restart;

import dev.filesink.FileSink;
import dev.filesink.journal.JournalFiles;
import dev.filesink.metrics.SinkMetrics;
import dev.filesink.rollingpolicies.OnCheckpointRollingPolicy;
import dev.filesink.tools.BenchmarkSupport;
import dev.filesink.writer.FileWriter;
import dev.filesink.writer.FileWriterState;
import dev.filesink.writer.WriterIdentity;
import dev.filesink.writer.WriterSettings;

import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.common.serialization.SimpleStringEncoder;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.RecoverableWriter;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.runtime.metrics.groups.InternalSinkWriterMetricGroup;
import org.apache.flink.runtime.metrics.groups.UnregisteredMetricGroups;
import org.apache.flink.streaming.api.functions.sink.filesystem.BucketAssigner;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.MiniDFSCluster;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;

/**
 * What a writer restart costs when the base path holds a long history: {@code --dirs} partition directories of
 * finished files (10,000 by default). {@code --writers} writer subtasks write into {@code --buckets} live buckets,
 * snapshot a checkpoint, write on (opening the files that become orphans), and fail (closed as a failing task
 * closes them, their in-progress files left behind); then each is restored from
 * the checkpoint as Flink restores a writer, and the restore (which discards the orphans) is timed. Ours: the
 * orphans found through the bucket journals; the anchor: the full walk of the base path (the behaviour before the
 * journals, forced with {@code -Ddev.filesink.restore.fullWalk=true}). Also the journal's own cost: the write
 * phase with journals against the same phase with {@code withOrphanCleanup(false)} (no journal).
 *
 * <p>Usage: {@code tools/bench-restart.sh [--fs local,hdfs] [--dirs 10000] [--writers 4] [--buckets 50]
 * [--records 20000] [--rounds 3] [--dir /tmp/filesink-bench-restart]}
 */
public final class RestartBenchmark {

    private static final String FULL_WALK = "dev.filesink.restore.fullWalk";
    private static final String CLOSE_POLL_MS = "dfs.client.block.write.locateFollowingBlock.initial.delay.ms";

    private final Path base;
    private final int dirs;
    private final int writers;
    private final int buckets;
    private final int records;
    private final String job = UUID.randomUUID().toString();

    private RestartBenchmark(Path base, int dirs, int writers, int buckets, int records) {
        this.base = base;
        this.dirs = dirs;
        this.writers = writers;
        this.buckets = buckets;
        this.records = records;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = BenchmarkSupport.arguments(args);
        List<String> fileSystems = Arrays.asList(options.getOrDefault("fs", "local,hdfs").split(","));
        int dirs = Integer.parseInt(options.getOrDefault("dirs", "10000"));
        int writers = Integer.parseInt(options.getOrDefault("writers", "4"));
        int buckets = Integer.parseInt(options.getOrDefault("buckets", "50"));
        int records = Integer.parseInt(options.getOrDefault("records", "20000"));
        int rounds = Integer.parseInt(options.getOrDefault("rounds", "3"));
        java.nio.file.Path dir = java.nio.file.Paths.get(options.getOrDefault("dir", "/tmp/filesink-bench-restart"));
        BenchmarkSupport.deleteRecursively(dir);
        Files.createDirectories(dir);

        System.out.printf("restart benchmark: %d history directories, %d writers, %d live buckets, %d records per "
                + "writer and phase, %d rounds%n", dirs, writers, buckets, records, rounds);
        for (String fs : fileSystems) {
            if (fs.equals("local")) {
                new RestartBenchmark(new Path(dir.resolve("local").toUri()), dirs, writers, buckets, records)
                        .run("local", rounds);
            } else if (fs.equals("hdfs")) {
                Configuration conf = new Configuration();
                conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, dir.resolve("hdfs-data").toString());
                conf.setInt("dfs.replication", 1);
                // Closing a file polls the name node from 400 ms on by default: hundreds of part files a round.
                conf.setInt(CLOSE_POLL_MS, 10);
                MiniDFSCluster cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
                try {
                    cluster.waitActive();
                    org.apache.flink.configuration.Configuration flink = new org.apache.flink.configuration.Configuration();
                    flink.setString("flink.hadoop.dfs.replication", "1");
                    flink.setString("flink.hadoop." + CLOSE_POLL_MS, "10");
                    flink.setString("flink.hadoop.dfs.client.block.write.replace-datanode-on-failure.enable", "false");
                    FileSystem.initialize(flink, null);
                    new RestartBenchmark(new Path(cluster.getURI().toString() + "/bench"), dirs, writers, buckets,
                            records).run("hdfs", rounds);
                } finally {
                    cluster.shutdown();
                }
            } else {
                throw new IllegalArgumentException("Unknown --fs '" + fs + "': local or hdfs");
            }
        }
        BenchmarkSupport.deleteRecursively(dir);
    }

    private void run(String name, int rounds) throws Exception {
        long start = System.nanoTime();
        prepareHistory();
        System.out.printf("[%s] prepared %d partition directories of finished files in %d ms%n",
                name, dirs, (System.nanoTime() - start) / 1_000_000);
        measureJournalAppend(name);
        List<Long> journalMs = new ArrayList<>();
        List<Long> walkMs = new ArrayList<>();
        List<Double> withJournalRate = new ArrayList<>();
        List<Double> withoutJournalRate = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            for (boolean fullWalk : new boolean[] {true, false}) {
                Restart restart = restartOnce(fullWalk, true);
                (fullWalk ? walkMs : journalMs).add(restart.restoreMs);
                if (!fullWalk) {
                    withJournalRate.add(restart.recordsPerSecond);
                }
                System.out.printf("[%s] round %d %-9s restore of %d writers: %6d ms (%d orphans discarded, "
                                + "%d journal writes, %d/%d searches by journal/full walk); write phase %.0f records/s%n",
                        name, round, fullWalk ? "full-walk" : "journal", writers, restart.restoreMs, restart.orphans,
                        restart.journalWrites, restart.byJournal, restart.byWalk, restart.recordsPerSecond);
            }
            Restart noJournal = restartOnce(true, false);
            withoutJournalRate.add(noJournal.recordsPerSecond);
            System.out.printf("[%s] round %d no journal (withOrphanCleanup(false)) write phase %.0f records/s%n",
                    name, round, noJournal.recordsPerSecond);
        }
        long walk = median(walkMs);
        long journal = median(journalMs);
        System.out.printf("[%s] RESULT restore of %d writers over %d history directories: full walk %d ms, "
                        + "journal %d ms, ratio full-walk/journal %.1fx%n",
                name, writers, dirs, walk, journal, walk / (double) Math.max(1, journal));
        double with = medianDouble(withJournalRate);
        double without = medianDouble(withoutJournalRate);
        System.out.printf("[%s] RESULT write phase with journal %.0f records/s, without %.0f records/s, "
                + "ratio with/without %.2f%n", name, with, without, with / without);
    }

    /**
     * The journal's own cost on the write path, against what it accompanies: one flushed append per new bucket and
     * segment, next to opening a part file (which the append always precedes).
     */
    private void measureJournalAppend(String name) throws Exception {
        int n = 500;
        JournalFiles journals = new JournalFiles(base);
        long appendNanos;
        try (FSDataOutputStream segment = journals.createSegment("append-cost", -1, "bench")) {
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                JournalFiles.append(segment, "live/dt=" + i);
            }
            appendNanos = System.nanoTime() - start;
        }
        journals.retire("append-cost");
        RecoverableWriter writer = base.getFileSystem().createRecoverableWriter();
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            writer.open(new Path(base, "open-cost/dt=" + i + "/part-0")).close();
        }
        long openNanos = System.nanoTime() - start;
        base.getFileSystem().delete(new Path(base, "open-cost"), true);
        System.out.printf("[%s] RESULT journal append (flushed) %.0f us, part file open %.0f us (mean of %d)%n",
                name, appendNanos / 1e3 / n, openNanos / 1e3 / n, n);
    }

    /**
     * Partition directories with one finished file each, as years of hourly partitions leave them. The files are
     * empty: a walk lists them the same, and HDFS completes an empty file without waiting for a block report.
     */
    private void prepareHistory() throws Exception {
        FileSystem fs = base.getFileSystem();
        for (int i = 0; i < dirs; i++) {
            Path file = new Path(base, String.format("history/dt=%05d/part-0", i));
            fs.create(file, FileSystem.WriteMode.OVERWRITE).close();
        }
    }

    /**
     * One failure and restart of all writers: write, snapshot checkpoint 1, write on, abandon the writers as a
     * crash does, restore each from checkpoint 1 and time it.
     */
    private Restart restartOnce(boolean fullWalk, boolean discardOrphans) throws Exception {
        FileSystem fs = base.getFileSystem();
        fs.delete(new Path(base, "live"), true);
        WriterSettings<String> settings = FileSink.forRowFormat(base, new SimpleStringEncoder<String>())
                .withBucketAssigner(new LiveBuckets(buckets))
                // Files roll at the checkpoint: the restore resumes none (resuming costs the same either way, and on
                // HDFS a truncate waits for block recovery), so the timing is the orphan search and removal.
                .withRollingPolicy(OnCheckpointRollingPolicy.build())
                .withOrphanCleanup(discardOrphans)
                .build()
                .writerSettings();
        String runToken = UUID.randomUUID().toString();
        List<FileWriterState> states = new ArrayList<>();
        long journalWrites = 0;
        long writeNanos = 0;
        for (int subtask = 0; subtask < writers; subtask++) {
            FileWriter<String> writer = new FileWriter<>(settings, settings.storage().open(base),
                    WriterIdentity.derive(List.of(), runToken, job, subtask, OptionalLong.empty(), 0), List.of(),
                    OptionalLong.empty(), NO_TIMERS, metrics());
            long start = System.nanoTime();
            write(writer, subtask);
            writer.prepareCommit();
            states.addAll(writer.snapshotState(1));
            write(writer, subtask); // opened after the checkpoint: orphans once the job restores from it
            writeNanos += System.nanoTime() - start;
            journalWrites += writer.bucketJournalWrites();
            writer.close(); // as a failing task closes its writer: in-progress files stay, hidden
        }
        Restart result = new Restart();
        result.journalWrites = journalWrites;
        result.recordsPerSecond = 2.0 * records * writers / (writeNanos / 1e9);
        if (!discardOrphans) {
            return result;
        }
        System.setProperty(FULL_WALK, Boolean.toString(fullWalk));
        try {
            long start = System.nanoTime();
            List<FileWriter<String>> restored = new ArrayList<>();
            for (int subtask = 0; subtask < writers; subtask++) {
                List<FileWriterState> state = List.of(states.get(subtask));
                SinkMetrics.WriterMetrics metrics = metrics();
                restored.add(new FileWriter<>(settings, settings.storage().open(base),
                        WriterIdentity.derive(state, runToken, job, subtask, OptionalLong.of(1), 1), state,
                        OptionalLong.of(1), NO_TIMERS, metrics));
                result.orphans += metrics.orphansDiscarded().getCount();
                result.byJournal += metrics.orphanSearchesByJournal().getCount();
                result.byWalk += metrics.orphanSearchesByFullWalk().getCount();
            }
            result.restoreMs = (System.nanoTime() - start) / 1_000_000;
            for (FileWriter<String> writer : restored) {
                writer.close();
            }
        } finally {
            System.clearProperty(FULL_WALK);
        }
        if (result.orphans == 0) {
            throw new IllegalStateException("The restore discarded no orphans: the benchmark measures nothing");
        }
        fs.delete(new Path(base, "live"), true);
        fs.delete(new Path(base, ".filesink-journal"), true);
        return result;
    }

    private void write(FileWriter<String> writer, int subtask) throws Exception {
        for (int i = 0; i < records; i++) {
            writer.write(subtask + "-" + i, CONTEXT);
        }
    }

    private static SinkMetrics.WriterMetrics metrics() {
        return SinkMetrics.forWriter(InternalSinkWriterMetricGroup.wrap(
                UnregisteredMetricGroups.createUnregisteredOperatorMetricGroup()));
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    private static double medianDouble(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    private static final class Restart {
        long restoreMs;
        long orphans;
        long journalWrites;
        long byJournal;
        long byWalk;
        double recordsPerSecond;
    }

    /** Records "subtask-i" spread over the live buckets by i. */
    private static final class LiveBuckets implements BucketAssigner<String, String> {
        private final int buckets;

        LiveBuckets(int buckets) {
            this.buckets = buckets;
        }

        @Override
        public String getBucketId(String element, Context context) {
            int i = Integer.parseInt(element.substring(element.indexOf('-') + 1));
            return "live/dt=" + (i % buckets);
        }

        @Override
        public SimpleVersionedSerializer<String> getSerializer() {
            return dev.filesink.bucketassigners.StringBucketIdSerializer.INSTANCE;
        }
    }

    private static final SinkWriter.Context CONTEXT = new SinkWriter.Context() {
        @Override
        public long currentWatermark() {
            return Long.MIN_VALUE;
        }

        @Override
        public Long timestamp() {
            return null;
        }
    };

    /** The benchmark drives time itself: no timers fire. */
    private static final ProcessingTimeService NO_TIMERS = new ProcessingTimeService() {
        @Override
        public long getCurrentProcessingTime() {
            return System.currentTimeMillis();
        }

        @Override
        public ScheduledFuture<?> registerTimer(long timestamp, ProcessingTimeCallback target) {
            return null;
        }
    };
}
