package dev.filesink.partitioncommit;

/**
 * Everything the partition committer keeps across failures: the series id of its manifests and completion records,
 * the partitions with their files not yet announced and the totals of those announced, the writers' latest progress,
 * and what arrived for checkpoints that are not complete yet.
 */
public final class PartitionCommitterState {

    private final String seriesId;
    private final PartitionLedger ledger;
    private final CheckpointInbox inbox;

    public PartitionCommitterState(String seriesId, PartitionLedger ledger, CheckpointInbox inbox) {
        this.seriesId = seriesId;
        this.ledger = ledger;
        this.inbox = inbox;
    }

    public String seriesId() {
        return seriesId;
    }

    public PartitionLedger ledger() {
        return ledger;
    }

    public CheckpointInbox inbox() {
        return inbox;
    }
}
