package dev.filesink.hive;

import dev.filesink.partitioncommit.CommittedPartition;
import dev.filesink.partitioncommit.PartitionCommitPolicy;
import dev.filesink.partitioncommit.PolicyContext;

import org.apache.hadoop.hive.metastore.api.AlreadyExistsException;
import org.apache.hadoop.hive.metastore.api.NoSuchObjectException;
import org.apache.hadoop.hive.metastore.api.Partition;
import org.apache.hadoop.hive.metastore.api.StorageDescriptor;
import org.apache.hadoop.hive.metastore.api.Table;
import org.apache.hadoop.hive.metastore.api.hive_metastoreConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Adds each complete partition to a Hive Metastore table through the metastore's Thrift API (the official {@code
 * HiveMetaStoreClient}): values in the order of the table's partition keys, the partition's location, and a storage
 * descriptor copied from the table's (format, SerDe, columns), as Hive and Flink's Hive connector do.
 *
 * <p>Idempotent on replay: a partition that already exists at the same location is left as it is; one at another
 * location fails the commit, naming both locations (it is never moved). A later announcement of the same partition
 * (late records written afterwards) touches the partition, so that readers caching its metadata refresh: see
 * docs/partition-commit-hive.md.
 */
public final class HiveMetastorePolicy implements PartitionCommitPolicy {

    private static final long serialVersionUID = 1L;

    private static final Logger LOG = LoggerFactory.getLogger(HiveMetastorePolicy.class);

    /** The partition parameter in which a later announcement records its number (it also marks the touch). */
    public static final String ANNOUNCEMENT_PARAMETER = "filesink.announcement";

    private final MetastoreUris uris;
    private final String database;
    private final String table;
    private final HashMap<String, String> clientSettings;
    private final int maxAttempts;
    private final Duration initialBackoff;
    private final boolean touchOnLaterAnnouncement;
    private final String fromScheme;
    private final String toScheme;

    private transient MetastoreConnection connection;

    private HiveMetastorePolicy(Builder builder) {
        this.uris = MetastoreUris.of(builder.uris);
        this.database = requireName(builder.database, "database");
        this.table = requireName(builder.table, "table");
        this.clientSettings = new HashMap<>(builder.clientSettings);
        this.maxAttempts = builder.maxAttempts;
        this.initialBackoff = builder.initialBackoff;
        this.touchOnLaterAnnouncement = builder.touchOnLaterAnnouncement;
        this.fromScheme = builder.fromScheme;
        this.toScheme = builder.toScheme;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String name() {
        return "metastore";
    }

    @Override
    public void open(PolicyContext context) {
        connection = new MetastoreConnection(uris, clientSettings, maxAttempts, initialBackoff);
    }

    @Override
    public void commit(CommittedPartition partition) throws Exception {
        if (connection == null) {
            open(null);
        }
        String tableName = database + "." + table;
        Table hiveTable = readTable(tableName);
        List<String> values = HivePartitionValues.inKeyOrder(tableName, hiveTable.getPartitionKeys(), partition);
        String location = metastoreLocation(partition);
        String what = "adding partition " + partition.bucketId() + " to " + tableName;

        Optional<Partition> existing = readPartition(what, values);
        if (existing.isEmpty()) {
            try {
                connection.call(what, client -> client.add_partition(newPartition(hiveTable, values, location)));
                LOG.info("Added partition {} of Hive table {} at {}", values, tableName, location);
                return;
            } catch (AlreadyExistsException e) {
                // Added meanwhile, or by an earlier attempt of this call whose answer was lost: check it below.
                existing = readPartition(what, values);
                if (existing.isEmpty()) {
                    throw e;
                }
            }
        }
        Partition found = existing.get();
        String foundLocation = found.getSd() == null ? null : found.getSd().getLocation();
        if (!PartitionLocations.same(foundLocation, location)) {
            throw new IllegalStateException(
                    "Partition "
                            + values
                            + " of Hive table "
                            + tableName
                            + " (bucket "
                            + partition.bucketId()
                            + ") already exists at "
                            + foundLocation
                            + ", not at "
                            + location
                            + " where the sink wrote it: left unchanged");
        }
        if (partition.announcement() > 1 && touchOnLaterAnnouncement) {
            touch(what, found, partition.announcement());
            LOG.info(
                    "Touched partition {} of Hive table {} for announcement {}",
                    values,
                    tableName,
                    partition.announcement());
        } else {
            LOG.info("Partition {} of Hive table {} already exists at {}", values, tableName, location);
        }
    }

    private Table readTable(String tableName) throws Exception {
        Table hiveTable;
        try {
            hiveTable = connection.call("reading table " + tableName, client -> client.getTable(database, table));
        } catch (NoSuchObjectException e) {
            throw new IllegalStateException("Hive table " + tableName + " does not exist in the metastore at " + uris, e);
        }
        if (hiveTable.getSd() == null || "VIRTUAL_VIEW".equals(hiveTable.getTableType())) {
            throw new IllegalStateException(
                    "Hive table " + tableName + " is a view or has no storage descriptor: partitions cannot be added");
        }
        return hiveTable;
    }

    private Optional<Partition> readPartition(String what, List<String> values) throws Exception {
        try {
            return Optional.of(connection.call(what, client -> client.getPartition(database, table, values)));
        } catch (NoSuchObjectException e) {
            return Optional.empty();
        }
    }

    /** A partition whose storage descriptor is the table's (format, SerDe, columns) with the partition's location. */
    private Partition newPartition(Table hiveTable, List<String> values, String location) {
        StorageDescriptor sd = hiveTable.getSd().deepCopy();
        sd.setLocation(location);
        Partition partition = new Partition();
        partition.setDbName(hiveTable.getDbName());
        partition.setTableName(hiveTable.getTableName());
        partition.setValues(new ArrayList<>(values));
        partition.setSd(sd);
        partition.setCreateTime((int) (System.currentTimeMillis() / 1000));
        partition.setParameters(new HashMap<>());
        if (hiveTable.isSetCatName()) {
            partition.setCatName(hiveTable.getCatName());
        }
        return partition;
    }

    /**
     * Alters the partition without changing its location or format: the metastore sets a new {@code
     * transient_lastDdlTime}, which is what readers caching partition metadata look at (as after Hive's {@code ALTER
     * TABLE ... TOUCH}).
     */
    private void touch(String what, Partition found, int announcement) throws Exception {
        Partition touched = found.deepCopy();
        Map<String, String> parameters =
                touched.getParameters() == null ? new HashMap<>() : new HashMap<>(touched.getParameters());
        parameters.remove(hive_metastoreConstants.DDL_TIME);
        parameters.put(ANNOUNCEMENT_PARAMETER, Integer.toString(announcement));
        touched.setParameters(parameters);
        connection.call(what, client -> {
            client.alter_partition(database, table, touched, null);
            return null;
        });
    }

    private String metastoreLocation(CommittedPartition partition) {
        String location = partition.location().toString();
        return fromScheme == null ? location : PartitionLocations.withScheme(location, fromScheme, toScheme);
    }

    @Override
    public void close() {
        if (connection != null) {
            connection.close();
            connection = null;
        }
    }

    private static String requireName(String name, String what) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("The Hive " + what + " name is missing");
        }
        return name;
    }

    /** Values of client settings are left out: they may hold passwords. */
    @Override
    public String toString() {
        return "HiveMetastorePolicy{uris="
                + uris
                + ", table="
                + database
                + "."
                + table
                + ", clientSettings="
                + clientSettings.keySet()
                + ", maxAttempts="
                + maxAttempts
                + ", touchOnLaterAnnouncement="
                + touchOnLaterAnnouncement
                + "}";
    }

    /** Builds a {@link HiveMetastorePolicy}. */
    public static final class Builder {
        private final List<String> uris = new ArrayList<>();
        private String database;
        private String table;
        private final Map<String, String> clientSettings = new LinkedHashMap<>();
        private int maxAttempts = 4;
        private Duration initialBackoff = Duration.ofMillis(500);
        private boolean touchOnLaterAnnouncement = true;
        private String fromScheme;
        private String toScheme;

        private Builder() {}

        /** The metastore's Thrift URI, {@code thrift://host:port}; call again for more (tried in order). */
        public Builder metastoreUri(String uri) {
            uris.add(uri);
            return this;
        }

        public Builder database(String database) {
            this.database = database;
            return this;
        }

        public Builder table(String table) {
            this.table = table;
            return this;
        }

        /**
         * A setting of Hive's metastore client, for example {@code metastore.client.socket.timeout} or SASL and SSL
         * settings; added to any {@code hive-site.xml}/{@code metastore-site.xml} on the class path. Values are never
         * logged.
         */
        public Builder clientSetting(String key, String value) {
            clientSettings.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** How often a call is tried while the metastore cannot be reached (default 4), and the first pause. */
        public Builder connectionAttempts(int maxAttempts, Duration initialBackoff) {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("connection attempts must be at least 1, got " + maxAttempts);
            }
            if (initialBackoff == null || initialBackoff.isNegative()) {
                throw new IllegalArgumentException("the backoff must be zero or positive, got " + initialBackoff);
            }
            this.maxAttempts = maxAttempts;
            this.initialBackoff = initialBackoff;
            return this;
        }

        /**
         * Whether a later announcement of a partition (late records written into it) alters the partition so that
         * its {@code transient_lastDdlTime} changes (default true); false leaves an existing partition untouched.
         */
        public Builder touchOnLaterAnnouncement(boolean touch) {
            this.touchOnLaterAnnouncement = touch;
            return this;
        }

        /**
         * Registers locations with another scheme than the sink's, for readers that name the store differently: for
         * example {@code ("s3", "s3a")} when Flink writes through {@code s3://} and Hive, Spark or Trino read {@code
         * s3a://}.
         */
        public Builder locationScheme(String sinkScheme, String metastoreScheme) {
            this.fromScheme = requireName(sinkScheme, "sink location scheme");
            this.toScheme = requireName(metastoreScheme, "metastore location scheme");
            return this;
        }

        public HiveMetastorePolicy build() {
            return new HiveMetastorePolicy(this);
        }
    }
}
