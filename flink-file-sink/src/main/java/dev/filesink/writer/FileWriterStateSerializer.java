package dev.filesink.writer;

import dev.filesink.bucket.BucketState;
import dev.filesink.bucket.InProgressFileState;
import dev.filesink.partfile.PartFileNaming;
import dev.filesink.storage.RecoverableSerializers;
import dev.filesink.takeover.FlinkBucketStateReader;
import dev.filesink.takeover.FlinkStateMagic;
import dev.filesink.util.DataStreams;

import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.RecoverableWriter;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;


/**
 * Serializes writer state. Version 1: a magic number, uid, next counter, then per bucket its id, path and optional
 * in-progress file (target, creation time, size, record count, and the storage's resumable with its own serializer
 * version).
 *
 * <p>Also reads the bucket states of Flink's own FileSink, which the writer operator keeps under the same state name:
 * the magic number at the start of the bytes tells which sink wrote them (Flink's versions 1 to 3 overlap ours).
 */
public final class FileWriterStateSerializer implements SimpleVersionedSerializer<FileWriterState> {

    private static final int MAGIC = 0x46535731; // "FSW1"

    private final RecoverableSerializers serializers;
    private final FlinkBucketStateReader flinkStates;

    /** A serializer for a sink with the default part file names. */
    public FileWriterStateSerializer(RecoverableSerializers serializers) {
        this(serializers, new PartFileNaming(OutputFileConfig.builder().build()));
    }

    /** @param naming the sink's part file names, which tell Flink's part files apart when its state is taken over */
    public FileWriterStateSerializer(RecoverableSerializers serializers, PartFileNaming naming) {
        this.serializers = serializers;
        this.flinkStates = new FlinkBucketStateReader(serializers, naming);
    }

    @Override
    public int getVersion() {
        return 1;
    }

    @Override
    public byte[] serialize(FileWriterState state) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256);
        out.writeInt(MAGIC);
        DataStreams.writeString(out, state.uid());
        out.writeLong(state.nextCounter());
        out.writeInt(state.buckets().size());
        for (BucketState bucket : state.buckets()) {
            DataStreams.writeString(out, bucket.bucketId());
            DataStreams.writeString(out, bucket.bucketPath().toString());
            InProgressFileState file = bucket.inProgress();
            out.writeBoolean(file != null);
            if (file != null) {
                DataStreams.writeString(out, file.target().toString());
                out.writeLong(file.creationTime());
                out.writeLong(file.size());
                out.writeLong(file.recordCount());
                DataStreams.writeVersioned(out, serializers.resumeRecoverables(), file.resumable());
            }
        }
        return out.getCopyOfBuffer();
    }

    @Override
    public FileWriterState deserialize(int version, byte[] serialized) throws IOException {
        if (FlinkStateMagic.opensWith(serialized, FlinkStateMagic.BUCKET_STATE)) {
            return flinkStates.read(version, serialized);
        }
        if (version != 1) {
            throw new IOException("Unknown writer state serialization version " + version);
        }
        DataInputDeserializer in = new DataInputDeserializer(serialized);
        int magic = in.readInt();
        if (magic != MAGIC) {
            throw new IOException("Corrupt writer state: bad magic number " + Integer.toHexString(magic));
        }
        String uid = DataStreams.readString(in);
        long nextCounter = in.readLong();
        int bucketCount = in.readInt();
        List<BucketState> buckets = new ArrayList<>(bucketCount);
        for (int i = 0; i < bucketCount; i++) {
            String bucketId = DataStreams.readString(in);
            Path bucketPath = new Path(DataStreams.readString(in));
            InProgressFileState file = null;
            if (in.readBoolean()) {
                Path target = new Path(DataStreams.readString(in));
                long creationTime = in.readLong();
                long size = in.readLong();
                long recordCount = in.readLong();
                RecoverableWriter.ResumeRecoverable resumable = DataStreams.readVersioned(in, serializers.resumeRecoverables());
                file = new InProgressFileState(target, resumable, creationTime, size, recordCount);
            }
            buckets.add(new BucketState(bucketId, bucketPath, file));
        }
        return new FileWriterState(uid, nextCounter, buckets);
    }
}
