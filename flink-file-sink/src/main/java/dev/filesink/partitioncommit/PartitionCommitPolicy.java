package dev.filesink.partitioncommit;

import java.io.Serializable;

/**
 * An action taken once a partition (a bucket) is complete: all of its files are committed and no more data is
 * expected for it. Built-in policies write a success file, write checkpoint manifests or register the partition in a
 * Hive Metastore; users implement this interface for anything else (see docs/partition-commit.md).
 *
 * <p>Policies of one sink run one after another in the order configured, in one task (the sink's partition committer,
 * parallelism 1). The sink records durably which policy finished for which partition, so a policy is called once per
 * partition and announcement. Only a failure while a policy runs (before the sink could record that it finished) makes
 * the sink call it again for the same announcement after the restart: implementations must be idempotent for a given
 * {@link CommittedPartition#bucketId()} and {@link CommittedPartition#announcement()}.
 */
public interface PartitionCommitPolicy extends Serializable {

    /**
     * A stable name, recorded with each finished action so that a replay after a failure recognizes it. Two policies
     * of one sink must have different names. Default: the class name.
     */
    default String name() {
        return getClass().getName();
    }

    /** Called once in the partition committer task before the first {@link #commit}; opens clients. */
    default void open(PolicyContext context) throws Exception {}

    /** Announces a complete partition. Throwing fails the job; after the restart the call is repeated. */
    void commit(CommittedPartition partition) throws Exception;

    /** Called when the partition committer task ends; releases what {@link #open} took. */
    default void close() throws Exception {}
}
