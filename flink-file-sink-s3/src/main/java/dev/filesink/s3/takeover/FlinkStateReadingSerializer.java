package dev.filesink.s3.takeover;

import dev.filesink.s3.writer.S3Recoverable;
import dev.filesink.s3.writer.S3RecoverableSerializer;

import org.apache.flink.core.io.SimpleVersionedSerializer;

import java.io.IOException;

/**
 * Our S3 recoverable serializer that also reads the recoverables of Flink's S3 file systems (restored from a
 * savepoint or checkpoint of Flink's {@code FileSink}): whatever does not open with our magic number is one of
 * theirs, or fails naming both formats. It writes only our
 * own format: after the first checkpoint, a taken-over file is state of ours.
 */
final class FlinkStateReadingSerializer<T> implements SimpleVersionedSerializer<T> {

    private final SimpleVersionedSerializer<T> ours;
    private final FlinkS3StateConverter converter;

    FlinkStateReadingSerializer(SimpleVersionedSerializer<T> ours, FlinkS3StateConverter converter) {
        this.ours = ours;
        this.converter = converter;
    }

    @Override
    public int getVersion() {
        return ours.getVersion();
    }

    @Override
    public byte[] serialize(T object) throws IOException {
        return ours.serialize(object);
    }

    @Override
    @SuppressWarnings("unchecked")
    public T deserialize(int version, byte[] serialized) throws IOException {
        if (S3RecoverableSerializer.isOurs(serialized)) {
            return ours.deserialize(version, serialized);
        }
        S3Recoverable converted = converter.convert(FlinkS3Recoverable.read(version, serialized));
        return (T) converted;
    }
}
