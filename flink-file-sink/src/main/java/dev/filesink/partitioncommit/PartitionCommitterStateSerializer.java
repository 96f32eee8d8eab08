package dev.filesink.partitioncommit;

import dev.filesink.util.DataStreams;

import org.apache.flink.core.fs.Path;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * Serializes the partition committer's state.
 *
 * <p>Version 2: a magic number, the series id; the partitions in bucket id order, each: its bucket id as the length
 * of the prefix it shares with the previous one and the rest, announcements, the totals of the announced files
 * (count, records + 1, bytes, whether times are known, then the earliest time as difference to the previous
 * partition's and the latest as difference to the earliest), whether files are pending and then last activity,
 * first due and the pending files (numbers of the partitions are variable-length: an announced partition takes ~20
 * bytes); then as version 1: the latest progress checkpoint and the writers' progress; the inbox (the checkpoint taken
 * up to, the number of committer subtasks and those that ended, per checkpoint and committer subtask: number of
 * subtasks, count, files, progress, other committables).
 *
 * <p>Version 1 (still read): the partitions as bucket id, announcements, announced file count, last activity, first
 * due and every committed file (announced ones included); the rest as version 2.
 */
public final class PartitionCommitterStateSerializer implements SimpleVersionedSerializer<PartitionCommitterState> {

    private static final int MAGIC = 0x46535043; // "FSPC"

    private final PartitionCommit settings;

    public PartitionCommitterStateSerializer(PartitionCommit settings) {
        this.settings = settings;
    }

    @Override
    public int getVersion() {
        return 2;
    }

    @Override
    public byte[] serialize(PartitionCommitterState state) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(1024);
        out.writeInt(MAGIC);
        DataStreams.writeString(out, state.seriesId());
        PartitionLedger ledger = state.ledger();
        out.writeInt(ledger.partitions.size());
        String previousId = "";
        long previousMin = 0;
        for (Map.Entry<String, PartitionLedger.Partition> entry : ledger.partitions.entrySet()) {
            PartitionLedger.Partition partition = entry.getValue();
            writeBucketId(out, previousId, entry.getKey());
            previousId = entry.getKey();
            VarInts.writeUnsigned(out, partition.announcements);
            CommittedPartition.Totals totals = partition.announced;
            VarInts.writeUnsigned(out, totals.files());
            VarInts.writeUnsigned(out, totals.records() + 1);
            VarInts.writeUnsigned(out, totals.bytes());
            out.writeBoolean(totals.minEventTime() != null);
            if (totals.minEventTime() != null) {
                long min = totals.minEventTime().toEpochMilli();
                VarInts.writeSigned(out, min - previousMin);
                VarInts.writeSigned(out, totals.maxEventTime().toEpochMilli() - min);
                previousMin = min;
            }
            boolean pending = !partition.files.isEmpty() || partition.lastActivity != 0 || partition.firstDue != 0;
            out.writeBoolean(pending);
            if (pending) {
                out.writeLong(partition.lastActivity);
                out.writeLong(partition.firstDue);
                out.writeInt(partition.files.size());
                for (CommittedFileInfo file : partition.files) {
                    writeFile(out, file);
                }
            }
        }
        out.writeLong(ledger.latestProgressCheckpoint);
        out.writeInt(ledger.latestProgress.size());
        for (WriterProgress progress : ledger.latestProgress.values()) {
            WriterProgressFormat.write(out, progress);
        }
        out.writeLong(state.inbox().takenUpTo);
        out.writeInt(state.inbox().endedAmong);
        out.writeInt(state.inbox().endedAt.size());
        for (Map.Entry<Integer, Long> ended : state.inbox().endedAt.entrySet()) {
            out.writeInt(ended.getKey());
            out.writeLong(ended.getValue());
        }
        TreeMap<Long, Map<Integer, CheckpointInbox.SubtaskBatch>> checkpoints = state.inbox().checkpoints;
        out.writeInt(checkpoints.size());
        for (Map.Entry<Long, Map<Integer, CheckpointInbox.SubtaskBatch>> checkpoint : checkpoints.entrySet()) {
            out.writeLong(checkpoint.getKey());
            out.writeInt(checkpoint.getValue().size());
            for (Map.Entry<Integer, CheckpointInbox.SubtaskBatch> subtask : checkpoint.getValue().entrySet()) {
                CheckpointInbox.SubtaskBatch batch = subtask.getValue();
                out.writeInt(subtask.getKey());
                out.writeInt(batch.numberOfSubtasks);
                out.writeInt(batch.count);
                out.writeInt(batch.others);
                out.writeInt(batch.files.size());
                for (CommittedFileInfo file : batch.files) {
                    writeFile(out, file);
                }
                out.writeInt(batch.progress.size());
                for (WriterProgress progress : batch.progress) {
                    WriterProgressFormat.write(out, progress);
                }
            }
        }
        return out.getCopyOfBuffer();
    }

    @Override
    public PartitionCommitterState deserialize(int version, byte[] serialized) throws IOException {
        if (version != 1 && version != 2) {
            throw new IOException("Unknown partition committer state version " + version);
        }
        DataInputDeserializer in = new DataInputDeserializer(serialized);
        int magic = in.readInt();
        if (magic != MAGIC) {
            throw new IOException("Corrupt partition committer state: bad magic number " + Integer.toHexString(magic));
        }
        String seriesId = DataStreams.readString(in);
        PartitionLedger ledger = new PartitionLedger(settings);
        if (version == 1) {
            readPartitionsV1(in, ledger);
        } else {
            readPartitions(in, ledger);
        }
        ledger.latestProgressCheckpoint = in.readLong();
        int progressCount = count(in);
        for (int i = 0; i < progressCount; i++) {
            WriterProgress progress = WriterProgressFormat.read(in);
            ledger.latestProgress.put(progress.subtask(), progress);
        }
        CheckpointInbox inbox = new CheckpointInbox();
        long takenUpTo = in.readLong();
        inbox.endedAmong = in.readInt();
        int ended = count(in);
        for (int i = 0; i < ended; i++) {
            inbox.endedAt.put(in.readInt(), in.readLong());
        }
        int checkpoints = count(in);
        for (int c = 0; c < checkpoints; c++) {
            long checkpointId = in.readLong();
            int subtasks = count(in);
            for (int s = 0; s < subtasks; s++) {
                int subtask = in.readInt();
                int numberOfSubtasks = in.readInt();
                int expected = in.readInt();
                inbox.summary(checkpointId, subtask, numberOfSubtasks, expected);
                int others = in.readInt();
                for (int o = 0; o < others; o++) {
                    inbox.other(checkpointId, subtask);
                }
                int files = count(in);
                for (int f = 0; f < files; f++) {
                    inbox.file(checkpointId, subtask, readFile(in));
                }
                int progress = count(in);
                for (int p = 0; p < progress; p++) {
                    inbox.progress(checkpointId, subtask, WriterProgressFormat.read(in));
                }
            }
        }
        inbox.takenUpTo = takenUpTo;
        return new PartitionCommitterState(seriesId, ledger, inbox);
    }

    private static void readPartitions(DataInputDeserializer in, PartitionLedger ledger) throws IOException {
        int partitions = count(in);
        String previousId = "";
        long previousMin = 0;
        for (int i = 0; i < partitions; i++) {
            String bucketId = readBucketId(in, previousId);
            previousId = bucketId;
            PartitionLedger.Partition partition = new PartitionLedger.Partition();
            partition.announcements = Math.toIntExact(VarInts.readUnsigned(in));
            long files = VarInts.readUnsigned(in);
            long records = VarInts.readUnsigned(in) - 1;
            long bytes = VarInts.readUnsigned(in);
            Instant min = null;
            Instant max = null;
            if (in.readBoolean()) {
                long minMillis = previousMin + VarInts.readSigned(in);
                min = Instant.ofEpochMilli(minMillis);
                max = Instant.ofEpochMilli(minMillis + VarInts.readSigned(in));
                previousMin = minMillis;
            }
            partition.announced = new CommittedPartition.Totals(files, records, bytes, min, max);
            if (in.readBoolean()) {
                partition.lastActivity = in.readLong();
                partition.firstDue = in.readLong();
                int pending = count(in);
                for (int f = 0; f < pending; f++) {
                    partition.files.add(readFile(in));
                }
            }
            ledger.partitions.put(bucketId, partition);
        }
    }

    /** Version 1 kept every file; the announced ones (the first) become the totals. */
    private static void readPartitionsV1(DataInputDeserializer in, PartitionLedger ledger) throws IOException {
        int partitions = count(in);
        for (int i = 0; i < partitions; i++) {
            String bucketId = DataStreams.readString(in);
            PartitionLedger.Partition partition = new PartitionLedger.Partition();
            partition.announcements = in.readInt();
            int announcedFiles = in.readInt();
            partition.lastActivity = in.readLong();
            partition.firstDue = in.readLong();
            int files = count(in);
            if (announcedFiles < 0 || announcedFiles > files) {
                throw new IOException("Corrupt partition committer state: " + announcedFiles + " of " + files
                        + " files announced in partition " + bucketId);
            }
            for (int f = 0; f < files; f++) {
                CommittedFileInfo file = readFile(in);
                if (f < announcedFiles) {
                    partition.announced = PartitionLedger.plus(partition.announced, file);
                } else {
                    partition.files.add(file);
                }
            }
            ledger.partitions.put(bucketId, partition);
        }
    }

    /** The bucket id as the length of the prefix it shares with the previous one and the rest (UTF-8). */
    private static void writeBucketId(DataOutputSerializer out, String previous, String bucketId) throws IOException {
        int shared = 0;
        int limit = Math.min(previous.length(), bucketId.length());
        while (shared < limit && previous.charAt(shared) == bucketId.charAt(shared)) {
            shared++;
        }
        if (shared > 0 && Character.isHighSurrogate(bucketId.charAt(shared - 1))) {
            shared--; // never split a character
        }
        byte[] rest = bucketId.substring(shared).getBytes(StandardCharsets.UTF_8);
        VarInts.writeUnsigned(out, shared);
        VarInts.writeUnsigned(out, rest.length);
        out.write(rest);
    }

    private static String readBucketId(DataInputDeserializer in, String previous) throws IOException {
        long shared = VarInts.readUnsigned(in);
        long length = VarInts.readUnsigned(in);
        if (shared > previous.length() || length > in.available()) {
            throw new IOException("Corrupt partition committer state: bad bucket id (" + shared + " shared, "
                    + length + " more bytes)");
        }
        byte[] rest = new byte[(int) length];
        in.readFully(rest);
        return previous.substring(0, (int) shared) + new String(rest, StandardCharsets.UTF_8);
    }

    private static int count(DataInputDeserializer in) throws IOException {
        int count = in.readInt();
        if (count < 0) {
            throw new IOException("Corrupt partition committer state: negative count " + count);
        }
        return count;
    }

    private static void writeFile(DataOutputSerializer out, CommittedFileInfo file) throws IOException {
        DataStreams.writeString(out, file.bucketId());
        DataStreams.writeString(out, file.path().toString());
        out.writeLong(file.bytes());
        out.writeLong(file.records());
        out.writeLong(file.checkpointId());
        out.writeLong(file.minEventTimeMillis());
        out.writeLong(file.maxEventTimeMillis());
    }

    private static CommittedFileInfo readFile(DataInputDeserializer in) throws IOException {
        return new CommittedFileInfo(DataStreams.readString(in), new Path(DataStreams.readString(in)),
                in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readLong());
    }
}
