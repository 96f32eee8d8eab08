package dev.filesink.journal;

import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The files of the writers' bucket journals, below {@code <base>/.filesink-journal/<writer uid>/} (a hidden folder
 * that readers of the table skip):
 *
 * <ul>
 *   <li>{@code .segment.<checkpoint>.<token>}: the bucket ids in which the writer opened part files after it
 *       snapshotted {@code <checkpoint>} (-1: before its first), each written and flushed before the file was
 *       opened; {@code <token>} is unique per writer instance, so no attempt ever appends to another's file;</li>
 *   <li>{@code .floor.<checkpoint>}: every segment at or above this checkpoint is complete (-1: all of them). A
 *       directory without a floor marker is incomplete and a restore does not trust it.</li>
 * </ul>
 *
 * <p>The file names are hidden too, for readers that look only at a file's own name. Records are a 4-byte length and the UTF-8 bucket id; a torn last record (the writer died while writing it)
 * is ignored: its part file was never opened.
 */
public final class JournalFiles {

    public static final String DIRECTORY = ".filesink-journal";
    private static final String SEGMENT = ".segment.";
    private static final String FLOOR = ".floor.";

    private final Path root;
    private final FileSystem fileSystem;

    public JournalFiles(Path basePath) throws IOException {
        this.root = new Path(basePath, DIRECTORY);
        this.fileSystem = basePath.getFileSystem();
    }

    /**
     * Whether a journal below this base path is worth its cost and durable when flushed: the local file system and
     * HDFS. Elsewhere (object stores behind a Flink file system) restores keep the full walk.
     */
    public static boolean supports(Path basePath) {
        try {
            String scheme = basePath.getFileSystem().getUri().getScheme();
            return "file".equals(scheme) || "hdfs".equals(scheme);
        } catch (IOException e) {
            return false;
        }
    }

    public Path directoryOf(String uid) {
        return new Path(root, uid);
    }

    /** Whether a journal of this writer exists at all (complete or not). */
    public boolean exists(String uid) throws IOException {
        return fileSystem.exists(directoryOf(uid));
    }

    /** Starts the journal of a writer whose uid has none yet: complete from its first segment on. */
    public void startIfAbsent(String uid) throws IOException {
        if (!exists(uid)) {
            writeFloor(uid, -1);
        }
    }

    /** The highest floor marker, or empty if there is none (journal incomplete, retired, or never written). */
    public OptionalLong floor(String uid) throws IOException {
        long floor = Long.MIN_VALUE;
        for (FileStatus file : list(uid)) {
            String name = file.getPath().getName();
            if (name.startsWith(FLOOR)) {
                floor = Math.max(floor, Long.parseLong(name.substring(FLOOR.length())));
            }
        }
        return floor == Long.MIN_VALUE ? OptionalLong.empty() : OptionalLong.of(floor);
    }

    /** The bucket ids of all segments of the writer at or above {@code fromCheckpoint}. */
    public Set<String> bucketsSince(String uid, long fromCheckpoint) throws IOException {
        Set<String> buckets = new LinkedHashSet<>();
        for (FileStatus file : list(uid)) {
            String name = file.getPath().getName();
            if (name.startsWith(SEGMENT) && segmentCheckpoint(name) >= fromCheckpoint) {
                readSegment(file.getPath(), buckets);
            }
        }
        return buckets;
    }

    /** Opens a new segment of the writer; the caller appends records to it with {@link #append}. */
    public FSDataOutputStream createSegment(String uid, long checkpoint, String token) throws IOException {
        return fileSystem.create(new Path(directoryOf(uid), SEGMENT + checkpoint + '.' + token),
                FileSystem.WriteMode.NO_OVERWRITE);
    }

    /** Appends one bucket id and flushes it (hflush on HDFS), before the caller opens a part file there. */
    public static void append(FSDataOutputStream segment, String bucketId) throws IOException {
        byte[] id = bucketId.getBytes(StandardCharsets.UTF_8);
        byte[] record = new byte[4 + id.length];
        record[0] = (byte) (id.length >>> 24);
        record[1] = (byte) (id.length >>> 16);
        record[2] = (byte) (id.length >>> 8);
        record[3] = (byte) id.length;
        System.arraycopy(id, 0, record, 4, id.length);
        segment.write(record);
        segment.flush();
    }

    /**
     * Drops the segments below {@code floor}: the floor marker is written first, so a reader never trusts a journal
     * with segments missing. Nothing happens to a journal that is gone (retired meanwhile).
     */
    public void trim(String uid, long floor) throws IOException {
        if (!exists(uid)) {
            return;
        }
        writeFloor(uid, floor);
        for (FileStatus file : list(uid)) {
            String name = file.getPath().getName();
            if ((name.startsWith(SEGMENT) && segmentCheckpoint(name) < floor)
                    || (name.startsWith(FLOOR) && Long.parseLong(name.substring(FLOOR.length())) < floor)) {
                deleteIfPresent(file.getPath());
            }
        }
    }

    /** Removes a journal no restore needs any more: floor markers first, so a half-removed one reads as incomplete. */
    public void retire(String uid) throws IOException {
        if (!exists(uid)) {
            return;
        }
        List<FileStatus> files = list(uid);
        for (FileStatus file : files) {
            if (file.getPath().getName().startsWith(FLOOR)) {
                deleteIfPresent(file.getPath());
            }
        }
        fileSystem.delete(directoryOf(uid), true);
    }

    private void writeFloor(String uid, long floor) throws IOException {
        Path marker = new Path(directoryOf(uid), FLOOR + floor);
        try (FSDataOutputStream out = fileSystem.create(marker, FileSystem.WriteMode.NO_OVERWRITE)) {
            out.sync();
        } catch (IOException e) {
            if (!fileSystem.exists(marker)) {
                throw e;
            }
            // Written before (a replayed trim): the outcome we want.
        }
    }

    private List<FileStatus> list(String uid) throws IOException {
        FileStatus[] files;
        try {
            files = fileSystem.listStatus(directoryOf(uid));
        } catch (FileNotFoundException e) {
            return List.of();
        }
        return files == null ? List.of() : List.of(files);
    }

    private void readSegment(Path segment, Set<String> buckets) throws IOException {
        try (FSDataInputStream in = fileSystem.open(segment);
                DataInputStream data = new DataInputStream(in)) {
            while (true) {
                int length;
                try {
                    length = data.readInt();
                } catch (EOFException end) {
                    return;
                }
                if (length < 0 || length > 1 << 20) {
                    throw new IOException("Corrupt bucket journal segment " + segment + ": record of " + length
                            + " bytes");
                }
                byte[] id = new byte[length];
                try {
                    data.readFully(id);
                } catch (EOFException torn) {
                    return; // the writer died while appending: that part file was never opened
                }
                buckets.add(new String(id, StandardCharsets.UTF_8));
            }
        } catch (FileNotFoundException gone) {
            // Trimmed meanwhile: only segments below the floor go, and the caller checked the floor before.
            throw new IOException("Bucket journal segment " + segment + " vanished while being read", gone);
        }
    }

    private static long segmentCheckpoint(String segmentName) {
        String rest = segmentName.substring(SEGMENT.length());
        return Long.parseLong(rest.substring(0, rest.indexOf('.')));
    }

    private void deleteIfPresent(Path file) throws IOException {
        try {
            fileSystem.delete(file, false);
        } catch (FileNotFoundException alreadyGone) {
            // Deleted by a replay of the same trim.
        }
    }

    @Override
    public String toString() {
        return "bucket journals below " + root;
    }
}
