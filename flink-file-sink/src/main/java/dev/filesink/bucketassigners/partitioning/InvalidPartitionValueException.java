package dev.filesink.bucketassigners.partitioning;

/** A record's value cannot become a partition directory (too long, an unsupported type, no timestamp...). */
public final class InvalidPartitionValueException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String partitionKey;

    public InvalidPartitionValueException(String partitionKey, String problem) {
        super("Partition field '" + partitionKey + "': " + problem);
        this.partitionKey = partitionKey;
    }

    public InvalidPartitionValueException(String partitionKey, String problem, Throwable cause) {
        super("Partition field '" + partitionKey + "': " + problem, cause);
        this.partitionKey = partitionKey;
    }

    /** The partition key whose value was rejected. */
    public String partitionKey() {
        return partitionKey;
    }
}
