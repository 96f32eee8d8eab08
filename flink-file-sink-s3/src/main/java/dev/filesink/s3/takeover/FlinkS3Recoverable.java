package dev.filesink.s3.takeover;

import javax.annotation.Nullable;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The state of a part file as Flink's S3 file systems persist it: a multipart upload Flink started when it opened the
 * file, the parts S3 acknowledged, and the bytes of the unfinished part, which Flink's persist stores as a separate
 * object (the tail object). Both of Flink's S3 file systems keep the same information in different formats:
 *
 * <ul>
 *   <li>{@code flink-s3-fs-hadoop} (its writer lives in {@code flink-s3-fs-base}), version 1, little-endian: magic,
 *       key, upload id, part count and per part its number and ETag, bytes in parts, tail object key (length 0 for
 *       none), tail length (-1 for none); strings are a length and UTF-8 bytes. Tail objects lie beside the file:
 *       {@code <folder>/_<name>_tmp_<uuid>}.
 *   <li>{@code flink-s3-fs-native}, version 1, big-endian, no magic number: key and upload id (modified UTF-8),
 *       bytes in parts, part count and per part its number and ETag, whether there is a tail and then its key and
 *       length. Tail objects lie below the file's key: {@code <key>/.incomplete/<upload id>/<uuid>}.
 * </ul>
 *
 * @param key the final object's key (no bucket: Flink's state does not name it)
 * @param uploadId Flink's multipart upload
 * @param parts the acknowledged parts, in order
 * @param bytesInParts bytes in those parts
 * @param tailObjectKey the object holding the unfinished part, or null if there is none
 * @param tailLength bytes in the tail object
 */
record FlinkS3Recoverable(
        String key, String uploadId, List<Part> parts, long bytesInParts, @Nullable String tailObjectKey,
        long tailLength) {

    /** A part of Flink's upload: its number and the ETag S3 returned. */
    record Part(int number, String etag) {}

    /** The magic number of Flink's {@code S3RecoverableSerializer}, as an int (it is stored little-endian). */
    static final int MAGIC = 0x98761432;
    /** The version Flink 2.3 writes and reads. */
    static final int VERSION = 1;
    private static final String NEITHER_FORMAT = "Neither state of this sink's S3 storage nor a recoverable of one of"
            + " Flink's S3 file systems (flink-s3-fs-hadoop, flink-s3-fs-native)";
    /** S3 keys have at most 1024 bytes. */
    private static final int MAX_KEY_LENGTH = 1024;

    FlinkS3Recoverable {
        parts = List.copyOf(parts);
    }

    /** Whether the bytes open with the magic number of {@code flink-s3-fs-hadoop}'s recoverables. */
    static boolean isHadoopState(byte[] serialized) {
        return serialized != null && serialized.length >= 4
                && ByteBuffer.wrap(serialized).order(ByteOrder.LITTLE_ENDIAN).getInt() == MAGIC;
    }

    /**
     * Reads a recoverable of either file system: {@code flink-s3-fs-hadoop}'s by its magic number, else
     * {@code flink-s3-fs-native}'s, whose first bytes (a key length) can never be our own format's magic number (S3
     * keys have at most 1024 bytes).
     */
    static FlinkS3Recoverable read(int version, byte[] serialized) throws IOException {
        return isHadoopState(serialized) ? readHadoop(version, serialized) : readNative(version, serialized);
    }

    private static FlinkS3Recoverable readHadoop(int version, byte[] serialized) throws IOException {
        if (version != VERSION) {
            throw new IOException("Flink's S3 recoverable has the serialization version " + version
                    + ", which this sink does not know (Flink 2.3 writes " + VERSION + ")");
        }
        ByteBuffer in = ByteBuffer.wrap(serialized).order(ByteOrder.LITTLE_ENDIAN);
        try {
            if (in.getInt() != MAGIC) {
                throw new IOException("Not a recoverable of Flink's S3 file system: unexpected magic number");
            }
            String key = string(in, "key");
            String uploadId = string(in, "upload id");
            int count = in.getInt();
            if (count < 0 || count > 10_000) {
                throw new IOException("Corrupt S3 recoverable of Flink: " + count + " parts");
            }
            List<Part> parts = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                int number = in.getInt();
                parts.add(new Part(number, string(in, "ETag of part " + number)));
            }
            long bytesInParts = in.getLong();
            String tail = string(in, "tail object key");
            long storedTailLength = in.getLong();
            // Flink stores -1 as the length of a tail that does not exist.
            long tailLength = tail.isEmpty() && storedTailLength == -1 ? 0 : storedTailLength;
            if (bytesInParts < 0 || tailLength < 0 || in.hasRemaining()) {
                throw new IOException("Corrupt S3 recoverable of Flink for '" + key + "': bytes in parts "
                        + bytesInParts + ", tail length " + tailLength + ", " + in.remaining() + " bytes left over");
            }
            return new FlinkS3Recoverable(key, uploadId, parts, bytesInParts, tail.isEmpty() ? null : tail, tailLength);
        } catch (BufferUnderflowException e) {
            throw new IOException("Corrupt S3 recoverable of Flink: it ends early", e);
        }
    }

    private static String string(ByteBuffer in, String what) throws IOException {
        int length = in.getInt();
        if (length < 0 || length > in.remaining()) {
            throw new IOException("Corrupt S3 recoverable of Flink: the " + what + " has length " + length);
        }
        byte[] bytes = new byte[length];
        in.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Reads {@code flink-s3-fs-native}'s format, strictly: every byte must be used up. */
    private static FlinkS3Recoverable readNative(int version, byte[] serialized) throws IOException {
        if (version != VERSION) {
            throw new IOException("Flink's native S3 recoverable has the serialization version " + version
                    + ", which this sink does not know (Flink 2.3 writes " + VERSION + ")");
        }
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized));
            String key = in.readUTF();
            String uploadId = in.readUTF();
            long bytesInParts = in.readLong();
            int count = in.readInt();
            if (key.isEmpty() || key.length() > MAX_KEY_LENGTH || uploadId.isEmpty() || count < 0 || count > 10_000
                    || bytesInParts < 0) {
                throw new IOException(NEITHER_FORMAT);
            }
            List<Part> parts = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                parts.add(new Part(in.readInt(), in.readUTF()));
            }
            String tail = null;
            long tailLength = 0;
            if (in.readBoolean()) {
                tail = in.readUTF();
                tailLength = in.readLong();
            }
            if (in.available() > 0 || tailLength < 0) {
                throw new IOException(NEITHER_FORMAT);
            }
            return new FlinkS3Recoverable(key, uploadId, parts, bytesInParts, tail, tailLength);
        } catch (EOFException | java.io.UTFDataFormatException e) {
            throw new IOException(NEITHER_FORMAT, e);
        }
    }

    long length() {
        return bytesInParts + tailLength;
    }
}
