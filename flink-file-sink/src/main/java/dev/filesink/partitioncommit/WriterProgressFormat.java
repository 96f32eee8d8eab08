package dev.filesink.partitioncommit;

import dev.filesink.util.DataStreams;

import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The bytes of a {@link WriterProgress}, shared by the committable and the partition committer state serializers:
 * subtask, parallelism, watermark, end of input, the buckets with uncommitted data, the buckets that received records.
 */
public final class WriterProgressFormat {

    private WriterProgressFormat() {}

    public static void write(DataOutputView out, WriterProgress progress) throws IOException {
        out.writeInt(progress.subtask());
        out.writeInt(progress.parallelism());
        out.writeLong(progress.watermark());
        out.writeBoolean(progress.endOfInput());
        writeStrings(out, progress.uncommittedBuckets());
        writeStrings(out, progress.bucketsWithRecords());
    }

    public static WriterProgress read(DataInputView in) throws IOException {
        int subtask = in.readInt();
        int parallelism = in.readInt();
        long watermark = in.readLong();
        boolean endOfInput = in.readBoolean();
        Set<String> uncommitted = readStrings(in);
        Set<String> withRecords = readStrings(in);
        try {
            return new WriterProgress(subtask, parallelism, watermark, uncommitted, withRecords, endOfInput);
        } catch (IllegalArgumentException e) {
            throw new IOException("Corrupt writer progress: " + e.getMessage(), e);
        }
    }

    private static void writeStrings(DataOutputView out, Set<String> strings) throws IOException {
        out.writeInt(strings.size());
        for (String string : strings) {
            DataStreams.writeString(out, string);
        }
    }

    private static Set<String> readStrings(DataInputView in) throws IOException {
        int count = in.readInt();
        if (count < 0) {
            throw new IOException("Corrupt writer progress: " + count + " bucket ids");
        }
        Set<String> strings = new LinkedHashSet<>();
        for (int i = 0; i < count; i++) {
            strings.add(DataStreams.readString(in));
        }
        return strings;
    }
}
