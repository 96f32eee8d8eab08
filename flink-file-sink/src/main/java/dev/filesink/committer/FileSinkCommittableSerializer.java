package dev.filesink.committer;

import dev.filesink.partitioncommit.WriterProgressFormat;
import dev.filesink.storage.RecoverableSerializers;
import dev.filesink.takeover.FlinkCommittableReader;
import dev.filesink.takeover.FlinkStateMagic;
import dev.filesink.util.DataStreams;

import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.RecoverableWriter;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Serializes committables. Version 1: a magic number, a kind byte, bucket id, target path, size, record count, then
 * the storage's recoverable (pending file or obsolete resumable) with its own serializer version; a compacted file
 * (kind 3) is followed by its inputs' count and, for each, target path, size and pending file. A bucket journal trim
 * (kind 4) is only the journal's folder and the floor.
 *
 * <p>Version 2 adds, after the record count of a pending or compacted file, the earliest and latest record timestamp
 * ({@code Long.MIN_VALUE}: unknown), and kind 5, a writer's progress report for partition commit: subtask,
 * parallelism, watermark, end of input, then the buckets with uncommitted data and those that received records.
 *
 * <p>Also reads the committables of Flink's own FileSink, which the committer operator keeps under the same state
 * name: the magic number at the start of the bytes tells which sink wrote them (Flink's version 1 overlaps ours).
 */
public final class FileSinkCommittableSerializer implements SimpleVersionedSerializer<FileSinkCommittable> {

    private static final int MAGIC = 0x46534331; // "FSC1"
    private static final byte KIND_PENDING_FILE = 1;
    private static final byte KIND_CLEANUP = 2;
    private static final byte KIND_COMPACTED = 3;
    private static final byte KIND_JOURNAL_TRIM = 4;
    private static final byte KIND_WRITER_PROGRESS = 5;
    private static final int VERSION = 2;

    private final RecoverableSerializers serializers;
    private final FlinkCommittableReader flinkCommittables;

    public FileSinkCommittableSerializer(RecoverableSerializers serializers) {
        this.serializers = serializers;
        this.flinkCommittables = new FlinkCommittableReader(serializers);
    }

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(FileSinkCommittable committable) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256);
        out.writeInt(MAGIC);
        if (committable.isProgress()) {
            out.writeByte(KIND_WRITER_PROGRESS);
            WriterProgressFormat.write(out, committable.progress());
            return out.getCopyOfBuffer();
        }
        if (committable.isJournalTrim()) {
            out.writeByte(KIND_JOURNAL_TRIM);
            DataStreams.writeString(out, committable.target().toString());
            out.writeLong(committable.journalFloor());
            return out.getCopyOfBuffer();
        }
        out.writeByte(committable.isCompacted() ? KIND_COMPACTED
                : committable.hasPendingFile() ? KIND_PENDING_FILE : KIND_CLEANUP);
        DataStreams.writeString(out, committable.bucketId());
        DataStreams.writeString(out, committable.target().toString());
        out.writeLong(committable.size());
        out.writeLong(committable.recordCount());
        if (committable.hasPendingFile()) {
            out.writeLong(committable.minEventTime());
            out.writeLong(committable.maxEventTime());
            DataStreams.writeVersioned(out, serializers.commitRecoverables(), committable.pendingFile());
            if (committable.isCompacted()) {
                out.writeInt(committable.compactedInputs().size());
                for (CompactedInput input : committable.compactedInputs()) {
                    DataStreams.writeString(out, input.target().toString());
                    out.writeLong(input.size());
                    DataStreams.writeVersioned(out, serializers.commitRecoverables(), input.pendingFile());
                }
            }
        } else {
            DataStreams.writeVersioned(out, serializers.resumeRecoverables(), committable.resumableToCleanup());
        }
        return out.getCopyOfBuffer();
    }

    @Override
    public FileSinkCommittable deserialize(int version, byte[] serialized) throws IOException {
        if (FlinkStateMagic.opensWith(serialized, FlinkStateMagic.COMMITTABLE)) {
            return flinkCommittables.read(version, serialized);
        }
        if (version != 1 && version != VERSION) {
            throw new IOException("Unknown committable serialization version " + version);
        }
        DataInputDeserializer in = new DataInputDeserializer(serialized);
        int magic = in.readInt();
        if (magic != MAGIC) {
            throw new IOException("Corrupt committable: bad magic number " + Integer.toHexString(magic));
        }
        byte kind = in.readByte();
        if (kind == KIND_WRITER_PROGRESS && version >= 2) {
            return FileSinkCommittable.progress(WriterProgressFormat.read(in));
        }
        if (kind == KIND_JOURNAL_TRIM) {
            Path journal = new Path(DataStreams.readString(in));
            long floor = in.readLong();
            return floor == FileSinkCommittable.RETIRE_JOURNAL
                    ? FileSinkCommittable.journalRetirement(journal)
                    : FileSinkCommittable.journalTrim(journal, floor);
        }
        String bucketId = DataStreams.readString(in);
        Path target = new Path(DataStreams.readString(in));
        long size = in.readLong();
        long recordCount = in.readLong();
        long minEventTime = FileSinkCommittable.NO_EVENT_TIME;
        long maxEventTime = FileSinkCommittable.NO_EVENT_TIME;
        if (version >= 2 && (kind == KIND_PENDING_FILE || kind == KIND_COMPACTED)) {
            minEventTime = in.readLong();
            maxEventTime = in.readLong();
        }
        if (kind == KIND_PENDING_FILE) {
            RecoverableWriter.CommitRecoverable pending = DataStreams.readVersioned(in, serializers.commitRecoverables());
            return FileSinkCommittable.pendingFile(bucketId, target, pending, size, recordCount)
                    .withEventTimes(minEventTime, maxEventTime);
        }
        if (kind == KIND_COMPACTED) {
            RecoverableWriter.CommitRecoverable pending = DataStreams.readVersioned(in, serializers.commitRecoverables());
            int inputCount = in.readInt();
            if (inputCount <= 0) {
                throw new IOException("Corrupt committable: compacted file " + target + " with " + inputCount + " inputs");
            }
            List<CompactedInput> inputs = new ArrayList<>(inputCount);
            for (int i = 0; i < inputCount; i++) {
                Path inputTarget = new Path(DataStreams.readString(in));
                long inputSize = in.readLong();
                inputs.add(new CompactedInput(
                        inputTarget, DataStreams.readVersioned(in, serializers.commitRecoverables()), inputSize));
            }
            return FileSinkCommittable.compacted(bucketId, target, pending, size, recordCount, inputs)
                    .withEventTimes(minEventTime, maxEventTime);
        }
        if (kind == KIND_CLEANUP) {
            RecoverableWriter.ResumeRecoverable obsolete = DataStreams.readVersioned(in, serializers.resumeRecoverables());
            return FileSinkCommittable.cleanup(bucketId, target, obsolete);
        }
        throw new IOException("Corrupt committable: unknown kind " + kind);
    }
}
