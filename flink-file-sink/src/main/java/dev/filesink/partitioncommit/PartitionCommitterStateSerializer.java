package dev.filesink.partitioncommit;

import dev.filesink.util.DataStreams;

import org.apache.flink.core.fs.Path;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * Serializes the partition committer's state. Version 1: a magic number, the series id; the partitions (bucket id,
 * announcements, announced file count, last activity, first due, files); the latest progress checkpoint and the
 * writers' progress; the inbox (the checkpoint taken up to, the number of committer subtasks and those that ended, per checkpoint and committer subtask: number of subtasks, count, files, progress,
 * other committables).
 */
public final class PartitionCommitterStateSerializer implements SimpleVersionedSerializer<PartitionCommitterState> {

    private static final int MAGIC = 0x46535043; // "FSPC"

    private final PartitionCommit settings;

    public PartitionCommitterStateSerializer(PartitionCommit settings) {
        this.settings = settings;
    }

    @Override
    public int getVersion() {
        return 1;
    }

    @Override
    public byte[] serialize(PartitionCommitterState state) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(1024);
        out.writeInt(MAGIC);
        DataStreams.writeString(out, state.seriesId());
        PartitionLedger ledger = state.ledger();
        out.writeInt(ledger.partitions.size());
        for (Map.Entry<String, PartitionLedger.Partition> entry : ledger.partitions.entrySet()) {
            PartitionLedger.Partition partition = entry.getValue();
            DataStreams.writeString(out, entry.getKey());
            out.writeInt(partition.announcements);
            out.writeInt(partition.announcedFiles);
            out.writeLong(partition.lastActivity);
            out.writeLong(partition.firstDue);
            out.writeInt(partition.files.size());
            for (CommittedFileInfo file : partition.files) {
                writeFile(out, file);
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
        if (version != 1) {
            throw new IOException("Unknown partition committer state version " + version);
        }
        DataInputDeserializer in = new DataInputDeserializer(serialized);
        int magic = in.readInt();
        if (magic != MAGIC) {
            throw new IOException("Corrupt partition committer state: bad magic number " + Integer.toHexString(magic));
        }
        String seriesId = DataStreams.readString(in);
        PartitionLedger ledger = new PartitionLedger(settings);
        int partitions = count(in);
        for (int i = 0; i < partitions; i++) {
            String bucketId = DataStreams.readString(in);
            PartitionLedger.Partition partition = new PartitionLedger.Partition();
            partition.announcements = in.readInt();
            partition.announcedFiles = in.readInt();
            partition.lastActivity = in.readLong();
            partition.firstDue = in.readLong();
            int files = count(in);
            for (int f = 0; f < files; f++) {
                partition.files.add(readFile(in));
            }
            ledger.partitions.put(bucketId, partition);
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
