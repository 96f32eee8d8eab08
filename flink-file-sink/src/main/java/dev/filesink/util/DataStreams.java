package dev.filesink.util;

import org.apache.flink.core.io.SimpleVersionedSerialization;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Reads and writes the pieces our state and committable formats are made of. */
public final class DataStreams {

    private DataStreams() {}

    /** A flag and, if the value is not null, the value as {@code writeUTF}; see {@link #readNullableUtf}. */
    public static void writeNullableUtf(DataOutputView out, String value) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            out.writeUTF(value);
        }
    }

    /** What {@link #writeNullableUtf} wrote. */
    public static String readNullableUtf(DataInputView in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }

    /** A string of any length (unlike {@code writeUTF}, which stops at 64 KiB), as UTF-8. */
    public static void writeString(DataOutputView out, String value) throws IOException {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    public static String readString(DataInputView in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            throw new IOException("Corrupt serialized data: negative string length " + length);
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    public static <T> void writeVersioned(DataOutputView out, SimpleVersionedSerializer<T> serializer, T value)
            throws IOException {
        SimpleVersionedSerialization.writeVersionAndSerialize(serializer, value, out);
    }

    public static <T> T readVersioned(DataInputView in, SimpleVersionedSerializer<T> serializer) throws IOException {
        return SimpleVersionedSerialization.readVersionAndDeSerialize(serializer, in);
    }
}
