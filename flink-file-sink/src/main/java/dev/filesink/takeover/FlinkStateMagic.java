package dev.filesink.takeover;

/**
 * The magic numbers that open the bytes of Flink's own {@code FileSink} state. Ours open with different ones, so the
 * first four bytes tell which sink wrote a state entry, whatever version number Flink stored beside it.
 */
public final class FlinkStateMagic {

    /** Flink's {@code FileWriterBucketStateSerializer} (and the legacy {@code StreamingFileSink}'s bucket state). */
    public static final int BUCKET_STATE = 0x1e764b79;
    /** Flink's {@code FileSinkCommittableSerializer}. */
    public static final int COMMITTABLE = 0x1e765c80;
    /** Flink's {@code OutputStreamBasedInProgressFileRecoverableSerializer}. */
    static final int IN_PROGRESS_FILE = 0xb3a4073d;
    /** Flink's {@code OutputStreamBasedPendingFileRecoverableSerializer}. */
    static final int PENDING_FILE = 0x2c853c89;

    private FlinkStateMagic() {}

    /** Whether the serialized bytes open with the given magic number (big-endian, as Flink writes it). */
    public static boolean opensWith(byte[] serialized, int magic) {
        if (serialized == null || serialized.length < 4) {
            return false;
        }
        int first = ((serialized[0] & 0xff) << 24) | ((serialized[1] & 0xff) << 16)
                | ((serialized[2] & 0xff) << 8) | (serialized[3] & 0xff);
        return first == magic;
    }
}
