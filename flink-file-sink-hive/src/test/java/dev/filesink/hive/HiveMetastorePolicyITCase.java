package dev.filesink.hive;

import org.apache.flink.core.fs.Path;

import org.apache.hadoop.hive.metastore.HiveMetaStoreClient;
import org.apache.hadoop.hive.metastore.api.Partition;
import org.apache.hadoop.hive.metastore.api.Table;
import org.apache.hadoop.hive.metastore.api.hive_metastoreConstants;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link HiveMetastorePolicy} against a real standalone Hive Metastore (in-process, embedded Derby). */
class HiveMetastorePolicyITCase {

    private static final String DATABASE = "default";
    private static final String BUCKET = "dt=2026-12-04/hour=10";

    @TempDir static java.nio.file.Path tempDir;

    private static HiveMetastoreServer metastore;
    private static HiveMetaStoreClient client;

    private String table;
    private Path tableLocation;
    private Table hiveTable;
    private HiveMetastorePolicy policy;

    @BeforeAll
    static void startMetastore() throws Exception {
        metastore = HiveMetastoreServer.shared();
        System.out.printf(
                "Hive Metastore started in %d ms (JVM CPU time so far %d ms)%n",
                metastore.startUpTime().toMillis(),
                ((com.sun.management.OperatingSystemMXBean)
                                        java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                                .getProcessCpuTime()
                        / 1_000_000);
        client = metastore.newClient();
    }

    @AfterAll
    static void closeClient() throws Exception {
        // The metastore is shared by the JVM's test classes and stops when the JVM exits.
        if (client != null) {
            client.close();
        }
    }

    @BeforeEach
    void createTable(TestInfo test) throws Exception {
        table = "policy_it_" + test.getTestMethod().orElseThrow().getName().toLowerCase(Locale.ROOT);
        tableLocation = new Path(tempDir.resolve("tables").resolve(table).toUri());
        hiveTable =
                HiveTables.createPartitionedParquetTable(
                        client, DATABASE, table, tableLocation.toString(), "dt", "hour");
        policy = policyFor(metastore.uri()).build();
        policy.open(null);
    }

    @AfterEach
    void closePolicy() throws Exception {
        policy.close();
    }

    private HiveMetastorePolicy.Builder policyFor(String uri) {
        return HiveMetastorePolicy.builder()
                .metastoreUri(uri)
                .database(DATABASE)
                .table(table)
                .connectionAttempts(3, Duration.ofMillis(20));
    }

    @Test
    void addsThePartitionWithItsValuesInKeyOrderAndTheTablesStorage() throws Exception {
        // The sink's segments in another order than the table's keys: the policy orders them by the keys.
        TestPartition partition = TestPartition.of(tableLocation, "hour=10/dt=2026-12-04");

        policy.commit(partition);

        List<Partition> partitions = client.listPartitions(DATABASE, table, (short) -1);
        assertThat(partitions).hasSize(1);
        Partition added = partitions.get(0);
        assertThat(added.getValues()).containsExactly("2026-12-04", "10");
        assertThat(PartitionLocations.same(added.getSd().getLocation(), partition.location().toString()))
                .as("location %s", added.getSd().getLocation())
                .isTrue();
        assertThat(added.getSd().getInputFormat()).isEqualTo(HiveTables.PARQUET_INPUT_FORMAT);
        assertThat(added.getSd().getOutputFormat()).isEqualTo(HiveTables.PARQUET_OUTPUT_FORMAT);
        assertThat(added.getSd().getSerdeInfo().getSerializationLib()).isEqualTo(HiveTables.PARQUET_SERDE);
        assertThat(added.getSd().getCols()).isEqualTo(hiveTable.getSd().getCols());
        assertThat(client.listPartitionNames(DATABASE, table, (short) -1)).containsExactly("dt=2026-12-04/hour=10");
    }

    @Test
    void aReplayOfTheSameCommitChangesNothing() throws Exception {
        TestPartition partition = TestPartition.of(tableLocation, BUCKET);
        policy.commit(partition);
        Partition before = client.getPartition(DATABASE, table, List.of("2026-12-04", "10"));

        policy.commit(partition);
        // A replay by a new policy instance, as after a restart.
        HiveMetastorePolicy restarted = policyFor(metastore.uri()).build();
        restarted.open(null);
        restarted.commit(partition);
        restarted.close();

        assertThat(client.listPartitions(DATABASE, table, (short) -1)).containsExactly(before);
    }

    @Test
    void aPartitionAtAnotherLocationFailsNamingBothAndStaysUnchanged() throws Exception {
        TestPartition partition = TestPartition.of(tableLocation, BUCKET);
        policy.commit(partition);
        Partition before = client.getPartition(DATABASE, table, List.of("2026-12-04", "10"));
        Path otherLocation = new Path(tempDir.resolve("elsewhere").resolve(BUCKET).toUri());

        assertThatThrownBy(() -> policy.commit(partition.at(otherLocation)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(DATABASE + "." + table)
                .hasMessageContaining("[2026-12-04, 10]")
                .hasMessageContaining(before.getSd().getLocation())
                .hasMessageContaining(otherLocation.toString());

        assertThat(client.listPartitions(DATABASE, table, (short) -1)).containsExactly(before);
    }

    @Test
    void aBucketWithoutAPartitionKeyFailsNamingItAndTheBucket() {
        TestPartition onlyDate = TestPartition.of(tableLocation, "dt=2026-12-04");
        assertThatThrownBy(() -> policy.commit(onlyDate))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Bucket dt=2026-12-04 ")
                .hasMessageContaining("missing [hour]");

        TestPartition extraKey = TestPartition.of(tableLocation, "dt=2026-12-04/hour=10/region=eu");
        assertThatThrownBy(() -> policy.commit(extraKey))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Bucket dt=2026-12-04/hour=10/region=eu ")
                .hasMessageContaining("not a partition key of the table [region]");

        TestPartition noKeys = TestPartition.of(tableLocation, "2026-12-04--10");
        assertThatThrownBy(() -> policy.commit(noKeys))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Bucket 2026-12-04--10 ")
                .hasMessageContaining("missing [dt, hour]");
    }

    @Test
    void aLaterAnnouncementTouchesThePartitionWithoutMovingIt() throws Exception {
        TestPartition partition = TestPartition.of(tableLocation, BUCKET);
        policy.commit(partition);
        Partition first = client.getPartition(DATABASE, table, List.of("2026-12-04", "10"));
        // transient_lastDdlTime has a resolution of seconds.
        first.getParameters().put(hive_metastoreConstants.DDL_TIME, "1");
        client.alter_partition(DATABASE, table, first, null);

        policy.commit(partition.announcement(2));

        Partition touched = client.getPartition(DATABASE, table, List.of("2026-12-04", "10"));
        assertThat(touched.getSd().getLocation()).isEqualTo(first.getSd().getLocation());
        assertThat(touched.getParameters())
                .containsEntry(HiveMetastorePolicy.ANNOUNCEMENT_PARAMETER, "2")
                .doesNotContainEntry(hive_metastoreConstants.DDL_TIME, "1")
                .containsKey(hive_metastoreConstants.DDL_TIME);

        HiveMetastorePolicy noTouch = policyFor(metastore.uri()).touchOnLaterAnnouncement(false).build();
        noTouch.open(null);
        noTouch.commit(partition.announcement(3));
        noTouch.close();
        assertThat(client.getPartition(DATABASE, table, List.of("2026-12-04", "10"))).isEqualTo(touched);
    }

    @Test
    void aMissingTableFailsNamingIt() {
        HiveMetastorePolicy wrongTable =
                HiveMetastorePolicy.builder().metastoreUri(metastore.uri()).database(DATABASE).table("nope").build();
        wrongTable.open(null);
        assertThatThrownBy(() -> wrongTable.commit(TestPartition.of(tableLocation, BUCKET)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("default.nope does not exist")
                .hasMessageContaining(metastore.uri());
        wrongTable.close();
    }

    @Test
    void aMetastoreThatIsDownFailsNamingTheUriAfterTheRetries() throws Exception {
        String downUri = HiveMetastoreServer.unreachableUri();
        HiveMetastorePolicy down = policyFor(downUri).build();
        down.open(null);
        long start = System.nanoTime();

        assertThatThrownBy(() -> down.commit(TestPartition.of(tableLocation, BUCKET)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("Hive Metastore at " + downUri + " could not be reached")
                .hasMessageContaining("(3 attempts)");

        // Three attempts with 20 ms and 40 ms pauses between them.
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(60));
        down.close();
        assertThat(client.listPartitions(DATABASE, table, (short) -1)).isEmpty();
    }

    @Test
    void theNextUriIsUsedWhenTheFirstIsDown() throws Exception {
        HiveMetastorePolicy twoUris =
                policyFor(HiveMetastoreServer.unreachableUri()).metastoreUri(metastore.uri()).build();
        twoUris.open(null);
        twoUris.commit(TestPartition.of(tableLocation, BUCKET));
        twoUris.close();

        assertThat(client.listPartitionNames(DATABASE, table, (short) -1)).containsExactly(BUCKET);
    }
}
