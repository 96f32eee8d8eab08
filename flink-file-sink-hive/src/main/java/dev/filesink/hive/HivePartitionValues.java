package dev.filesink.hive;

import dev.filesink.partitioncommit.CommittedPartition;

import org.apache.hadoop.hive.metastore.api.FieldSchema;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A partition's values in the order of the table's partition keys. */
final class HivePartitionValues {

    private HivePartitionValues() {}

    /**
     * The values of {@code partition}'s {@code key=value} segments, ordered like {@code partitionKeys}. Key names match
     * ignoring case (Hive stores them in lower case). Fails naming the bucket id if a key is missing or extra.
     */
    static List<String> inKeyOrder(String tableName, List<FieldSchema> partitionKeys, CommittedPartition partition) {
        if (partitionKeys == null || partitionKeys.isEmpty()) {
            throw new IllegalArgumentException(
                    "Hive table " + tableName + " has no partition keys: cannot add partition " + partition.bucketId());
        }
        Map<String, String> remaining = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (Map.Entry<String, String> entry : partition.partitionValues().entrySet()) {
            if (remaining.put(entry.getKey(), entry.getValue()) != null) {
                throw new IllegalArgumentException(
                        "Bucket "
                                + partition.bucketId()
                                + " names partition key '"
                                + entry.getKey()
                                + "' twice (keys match Hive's ignoring case)");
            }
        }
        List<String> values = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (FieldSchema key : partitionKeys) {
            String value = remaining.remove(key.getName());
            if (value == null) {
                missing.add(key.getName());
            } else {
                values.add(value);
            }
        }
        if (!missing.isEmpty() || !remaining.isEmpty()) {
            throw new IllegalArgumentException(
                    "Bucket "
                            + partition.bucketId()
                            + " does not match the partition keys "
                            + keyNames(partitionKeys)
                            + " of Hive table "
                            + tableName
                            + (missing.isEmpty() ? "" : ": missing " + missing)
                            + (remaining.isEmpty() ? "" : ": not a partition key of the table " + remaining.keySet())
                            + " (the bucket id's key=value segments are "
                            + partition.partitionValues().keySet()
                            + ")");
        }
        return values;
    }

    private static List<String> keyNames(List<FieldSchema> keys) {
        List<String> names = new ArrayList<>();
        for (FieldSchema key : keys) {
            names.add(key.getName());
        }
        return names;
    }
}
