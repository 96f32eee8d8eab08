package dev.filesink.hive;

import org.apache.hadoop.hive.metastore.IMetaStoreClient;
import org.apache.hadoop.hive.metastore.api.FieldSchema;
import org.apache.hadoop.hive.metastore.api.SerDeInfo;
import org.apache.hadoop.hive.metastore.api.StorageDescriptor;
import org.apache.hadoop.hive.metastore.api.Table;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Creates Hive tables through the metastore's client, as a user's DDL would. */
public final class HiveTables {

    public static final String PARQUET_INPUT_FORMAT =
            "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat";
    public static final String PARQUET_OUTPUT_FORMAT =
            "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat";
    public static final String PARQUET_SERDE = "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe";

    private HiveTables() {}

    /**
     * Creates an external Parquet table {@code database.table} at {@code location} with columns (id bigint, payload
     * string), partitioned by {@code partitionKeys} (all strings), and returns it as the metastore stored it.
     */
    public static Table createPartitionedParquetTable(
            IMetaStoreClient client, String database, String table, String location, String... partitionKeys)
            throws Exception {
        StorageDescriptor sd = new StorageDescriptor();
        sd.setCols(
                new ArrayList<>(
                        List.of(new FieldSchema("id", "bigint", null), new FieldSchema("payload", "string", null))));
        sd.setLocation(location);
        sd.setInputFormat(PARQUET_INPUT_FORMAT);
        sd.setOutputFormat(PARQUET_OUTPUT_FORMAT);
        Map<String, String> serdeParameters = new HashMap<>();
        serdeParameters.put("serialization.format", "1");
        sd.setSerdeInfo(new SerDeInfo(null, PARQUET_SERDE, serdeParameters));
        sd.setParameters(new HashMap<>());
        sd.setBucketCols(new ArrayList<>());
        sd.setSortCols(new ArrayList<>());

        List<FieldSchema> keys = new ArrayList<>();
        for (String key : partitionKeys) {
            keys.add(new FieldSchema(key, "string", null));
        }
        Table hiveTable = new Table();
        hiveTable.setDbName(database);
        hiveTable.setTableName(table);
        hiveTable.setOwner("filesink");
        hiveTable.setTableType("EXTERNAL_TABLE");
        hiveTable.setParameters(new HashMap<>(Map.of("EXTERNAL", "TRUE")));
        hiveTable.setSd(sd);
        hiveTable.setPartitionKeys(keys);
        client.createTable(hiveTable);
        return client.getTable(database, table);
    }
}
