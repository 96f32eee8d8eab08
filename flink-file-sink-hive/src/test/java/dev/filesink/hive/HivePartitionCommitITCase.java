package dev.filesink.hive;

import dev.filesink.FileSink;
import dev.filesink.partitioncommit.PartitionCommit;
import dev.filesink.testing.FailureInjector;
import dev.filesink.testing.Jobs;
import dev.filesink.testing.VisibleOutputWatcher;
import dev.filesink.testing.partitioncommit.EventTimeRecords;
import dev.filesink.testing.partitioncommit.FlakyPolicy;
import dev.filesink.testing.partitioncommit.OutputView;
import dev.filesink.testing.partitioncommit.PartitionCommitContract;
import dev.filesink.storage.FileSystemStorage;

import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import org.apache.hadoop.hive.metastore.HiveMetaStoreClient;
import org.apache.hadoop.hive.metastore.api.Partition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * MiniCluster jobs into a local folder that announce each partition with a success file and then add it to a real
 * Hive Metastore table; the metastore step fails once right after it added a partition, so the replay after the
 * restart finds the partition already there. Every partition must be added once, at its folder, after its files.
 */
class HivePartitionCommitITCase {

    private static final String DATABASE = "default";
    private static final long STEP_MILLIS = 12_000; // 300 records per hour partition

    private static HiveMetastoreServer metastore;
    private static HiveMetaStoreClient client;

    @TempDir java.nio.file.Path out;

    @BeforeAll
    static void startMetastore() throws Exception {
        metastore = HiveMetastoreServer.shared();
        client = metastore.newClient();
    }

    @AfterAll
    static void closeClient() {
        // The metastore is shared by the JVM's test classes and stops when the JVM exits.
        if (client != null) {
            client.close();
        }
    }

    @Test
    void eventTimeAddsEveryPartitionOnceAfterItsFilesDespiteAFailureAfterTheMetastoreCall() throws Exception {
        long count = 2_400;
        String table = "partition_commit_streaming";
        HiveTables.createPartitionedParquetTable(client, DATABASE, table, out.toUri().toString(), "dt", "hour");
        StreamExecutionEnvironment env = Jobs.streaming(2, 150);
        FailureInjector<String> jobFailures = FailureInjector.plan().atRecord(400).build();
        FlakyPolicy metastoreStep = FlakyPolicy.wrap(metastorePolicy(table), Set.of(), Set.of(2));
        // The tail records (see EventTimeRecords) keep the job running until every real partition is announced.
        EventTimeRecords.source(env, count, count + 2_000, 2_000, STEP_MILLIS)
                .map(jobFailures)
                .sinkTo(sink(PartitionCommitContract.eventTimeSettings().successFileWithJson().policy(metastoreStep).build()));

        Map<String, Set<String>> filesWhenAdded = new ConcurrentHashMap<>();
        try (VisibleOutputWatcher watcher = watchPartitions(table, filesWhenAdded)) {
            env.execute("partition commit into a Hive Metastore, event time, failures");
            assertThat(watcher.violations()).isEmpty();
        }
        assertThat(jobFailures.fired()).as("injected job failures").isEqualTo(jobFailures.planned());
        assertThat(metastoreStep.fired()).as("injected metastore step failures").isEqualTo(metastoreStep.planned());
        PartitionCommitContract.assertCompleteAndExactlyOnce(
                OutputView.local(out), "_SUCCESS", count, HivePartitionCommitITCase::isReal);
        long partitions = EventTimeRecords.partitions(count, STEP_MILLIS);
        // Each partition's metastore call finished; a second finished call of one partition is possible only when a
        // job failure lands between the call's end and its completion record (at most one per job failure).
        assertThat(new java.util.HashSet<>(metastoreStep.finished())).as("partitions whose metastore call finished")
                .hasSize((int) partitions);
        assertThat(metastoreStep.finished()).as("metastore calls that finished")
                .hasSizeBetween((int) partitions, (int) partitions + jobFailures.planned());
        assertAddedOnceAtTheirFoldersWithAllTheirFiles(table, filesWhenAdded, partitions);
    }

    @Test
    void batchAddsEveryPartitionAtTheEndOfInput() throws Exception {
        long count = 1_500;
        String table = "partition_commit_batch";
        HiveTables.createPartitionedParquetTable(client, DATABASE, table, out.toUri().toString(), "dt", "hour");
        StreamExecutionEnvironment env = Jobs.batch(2);
        FailureInjector<String> jobFailures = FailureInjector.plan().onAnySubtask().atRecord(500).build();
        FlakyPolicy metastoreStep = FlakyPolicy.wrap(metastorePolicy(table), Set.of(), Set.of(2));
        EventTimeRecords.source(env, count, 0, STEP_MILLIS)
                .map(jobFailures)
                .sinkTo(sink(PartitionCommitContract.eventTimeSettings().successFileWithJson().policy(metastoreStep).build()));

        Map<String, Set<String>> filesWhenAdded = new ConcurrentHashMap<>();
        try (VisibleOutputWatcher watcher = watchPartitions(table, filesWhenAdded)) {
            env.execute("partition commit into a Hive Metastore, batch");
            assertThat(watcher.violations()).isEmpty();
        }
        assertThat(jobFailures.fired()).as("injected job failures").isEqualTo(jobFailures.planned());
        assertThat(metastoreStep.fired()).as("injected metastore step failures").isEqualTo(metastoreStep.planned());
        PartitionCommitContract.assertCompleteAndExactlyOnce(OutputView.local(out), "_SUCCESS", count);
        long partitions = EventTimeRecords.partitions(count, STEP_MILLIS);
        assertThat(metastoreStep.finished()).hasSize((int) partitions).doesNotHaveDuplicates();
        assertAddedOnceAtTheirFoldersWithAllTheirFiles(table, filesWhenAdded, partitions);
    }

    private HiveMetastorePolicy metastorePolicy(String table) {
        return HiveMetastorePolicy.builder()
                .metastoreUri(metastore.uri())
                .database(DATABASE)
                .table(table)
                .connectionAttempts(3, Duration.ofMillis(20))
                .build();
    }

    private FileSink<String> sink(PartitionCommit partitionCommit) {
        return PartitionCommitContract.sink(new Path(out.toUri()), FileSystemStorage.INSTANCE, partitionCommit);
    }

    /**
     * Watches the table's partitions while the job runs (fingerprint: location and creation time, so a partition
     * dropped and added again, or moved, is a violation) and records the part files visible in each partition's
     * folder when it first shows up.
     */
    private VisibleOutputWatcher watchPartitions(String table, Map<String, Set<String>> filesWhenAdded) throws Exception {
        HiveMetaStoreClient watching = metastore.newClient();
        return new VisibleOutputWatcher("metastore-partitions", () -> {
            Map<String, String> partitions = new TreeMap<>();
            try {
                for (Partition partition : watching.listPartitions(DATABASE, table, (short) -1)) {
                    partitions.put(String.join("/", "dt=" + partition.getValues().get(0), "hour=" + partition.getValues().get(1)),
                            partition.getSd().getLocation() + " created " + partition.getCreateTime());
                }
            } catch (Exception e) {
                throw new IllegalStateException("Cannot list the partitions of " + table, e);
            }
            return partitions;
        }, partition -> filesWhenAdded.put(partition, partFiles(partition)), 20);
    }

    private void assertAddedOnceAtTheirFoldersWithAllTheirFiles(
            String table, Map<String, Set<String>> filesWhenAdded, long partitions) throws Exception {
        Map<String, String> locations = new TreeMap<>();
        for (Partition partition : client.listPartitions(DATABASE, table, (short) -1)) {
            locations.put("dt=" + partition.getValues().get(0) + "/hour=" + partition.getValues().get(1),
                    partition.getSd().getLocation());
        }
        assertThat(locations).as("partitions added").hasSize((int) partitions);
        assertThat(filesWhenAdded.keySet()).as("partitions seen being added").isEqualTo(locations.keySet());
        locations.forEach((partition, location) -> {
            assertThat(PartitionLocations.same(location, new Path(out.resolve(partition).toUri()).toString()))
                    .as("location %s of %s", location, partition).isTrue();
            assertThat(filesWhenAdded.get(partition)).as("part files visible when %s was added", partition)
                    .isNotEmpty().isEqualTo(partFiles(partition));
        });
    }

    /** The part files readers see in a partition's folder now. */
    private Set<String> partFiles(String partition) {
        Set<String> files = new TreeSet<>();
        OutputView.local(out.resolve(partition)).list().keySet().stream()
                .filter(name -> !name.startsWith(".") && !name.startsWith("_"))
                .forEach(files::add);
        return files;
    }

    private static boolean isReal(String partition) {
        return !partition.equals(EventTimeRecords.TAIL_PARTITION);
    }
}
