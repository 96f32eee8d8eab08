package dev.filesink.storage;

import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * Small files written once on a Flink {@link FileSystem} (success files, checkpoint manifests): the content goes to a
 * hidden temporary sibling {@code .<name>.once.<random>} first, which then gets the final name without ever replacing
 * a file there.
 *
 * <ul>
 *   <li>Local: a hard link from the final name to the temporary file ({@code link(2)} fails if the name exists).
 *   <li>Other file systems (HDFS): {@code rename}, which on HDFS fails, answering false and leaving both files, when
 *       the target exists. On object stores reached through a Flink file system the rename is a copy after a look,
 *       so a concurrent creator can be overwritten there; the S3 and Azure storages have their own conditional write.
 * </ul>
 *
 * <p>Each caller removes its own temporary file in every outcome. One that a crash between writing and naming left
 * behind is hidden (readers skip dot names; the part file orphan clean-up does not know these names) and goes with
 * the next creation of the same file: once the final name exists, every temporary file made for it is garbage. Only
 * those older than {@link #STALE_AFTER} are removed then, so that a concurrent caller is not disturbed; if a stalled
 * one is, it finds the final name taken and answers false, as if its rename had been refused.
 */
final class FileSystemSmallFiles {

    private static final Logger LOG = LoggerFactory.getLogger(FileSystemSmallFiles.class);

    private static final String TEMP_MARKER = ".once.";

    /** Temporary files of an existing file older than this are left by a crash, not being written right now. */
    static final Duration STALE_AFTER = Duration.ofMinutes(1);

    private final FileSystem fileSystem;
    private final boolean local;

    FileSystemSmallFiles(FileSystem fileSystem) {
        this.fileSystem = fileSystem;
        this.local = "file".equals(fileSystem.getUri().getScheme());
    }

    boolean createOnce(Path path, byte[] content) throws IOException {
        Path parent = path.getParent();
        if (parent == null || path.getName().isEmpty()) {
            throw new IOException("Cannot create '" + path + "': it names no file");
        }
        Path temp = new Path(parent, "." + path.getName() + TEMP_MARKER + UUID.randomUUID());
        boolean created;
        try {
            created = local ? createByLink(path, temp, content) : createByRename(path, temp, content);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(temp);
            throw e;
        }
        deleteQuietly(temp);
        removeTempFilesOf(path);
        return created;
    }

    /** A hard link: atomic, and refused by the file system if the final name exists. */
    private boolean createByLink(Path path, Path temp, byte[] content) throws IOException {
        java.nio.file.Path target = localPath(path);
        java.nio.file.Path tempFile = localPath(temp);
        try {
            Files.createDirectories(target.getParent());
            // Durable before it gets its name, so a crash cannot leave a short file under the final name.
            try (FileChannel channel = FileChannel.open(tempFile, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
        } catch (IOException e) {
            return failedWriting(path, temp, e);
        }
        try {
            Files.createLink(target, tempFile);
        } catch (FileAlreadyExistsException e) {
            return existing(path, e);
        } catch (NoSuchFileException e) {
            // Another caller created the file and removed our temporary file with its own.
            return existing(path, e);
        } catch (IOException | UnsupportedOperationException e) {
            throw new IOException("Cannot create '" + path + "': linking it to its temporary file failed (the file "
                    + "system must support hard links): " + e, e);
        }
        syncDirectory(target.getParent());
        return true;
    }

    /** Makes the new name durable, so that a created file does not vanish in a power loss; best effort. */
    private static void syncDirectory(java.nio.file.Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | RuntimeException e) {
            LOG.debug("Could not sync directory {} (not supported here): {}", directory, e.toString());
        }
    }

    /** A rename, which HDFS refuses (returning false) when the target exists. */
    private boolean createByRename(Path path, Path temp, byte[] content) throws IOException {
        try {
            fileSystem.mkdirs(path.getParent());
            try (FSDataOutputStream out = fileSystem.create(temp, FileSystem.WriteMode.NO_OVERWRITE)) {
                out.write(content);
            }
        } catch (IOException e) {
            return failedWriting(path, temp, e);
        }
        // HDFS moves a file renamed onto a directory into it: never let that happen to a directory at the target.
        Optional<FileStatus> before = status(path);
        if (before.isPresent()) {
            return existing(path, null);
        }
        boolean renamed;
        try {
            renamed = fileSystem.rename(temp, path);
        } catch (FileNotFoundException e) {
            return existing(path, e); // our temporary file was removed by a caller that created the file
        } catch (IOException e) {
            throw new IOException("Cannot create '" + path + "': renaming its temporary file '" + temp + "' failed: " + e, e);
        }
        return renamed || existing(path, null);
    }

    /**
     * Writing the temporary file failed: false if the file exists meanwhile (a concurrent caller created it, and
     * removed our temporary file with its own), else the failure.
     */
    private boolean failedWriting(Path path, Path temp, IOException e) throws IOException {
        Optional<FileStatus> status = status(path);
        if (status.isPresent() && !status.get().isDir()) {
            LOG.debug("Writing {} failed, but {} was created meanwhile: {}", temp, path, e.toString());
            return false;
        }
        throw new IOException("Cannot create '" + path + "': writing its temporary file '" + temp + "' failed: " + e, e);
    }

    /** After the final name was refused: false if a file is there; anything else is an error. */
    private boolean existing(Path path, Exception cause) throws IOException {
        Optional<FileStatus> status = status(path);
        if (status.isEmpty()) {
            throw new IOException("Cannot create '" + path + "': giving the temporary file its final name failed, "
                    + "but nothing is there", cause);
        }
        if (status.get().isDir()) {
            throw new IOException("Cannot create file '" + path + "': a directory is there");
        }
        return false;
    }

    Optional<byte[]> read(Path path) throws IOException {
        FileStatus status;
        try {
            status = fileSystem.getFileStatus(path);
        } catch (FileNotFoundException e) {
            return Optional.empty();
        }
        if (status.isDir()) {
            throw new IOException("Cannot read file '" + path + "': it is a directory");
        }
        try (FSDataInputStream in = fileSystem.open(path)) {
            return Optional.of(in.readAllBytes());
        } catch (FileNotFoundException e) {
            return Optional.empty(); // removed between the look and the read
        } catch (IOException e) {
            throw new IOException("Cannot read '" + path + "': " + e, e);
        }
    }

    /** Removes stale temporary files of {@code path} (its final name exists now); failures are only logged. */
    private void removeTempFilesOf(Path path) {
        String prefix = "." + path.getName() + TEMP_MARKER;
        long staleBefore = System.currentTimeMillis() - STALE_AFTER.toMillis();
        try {
            FileStatus[] children = fileSystem.listStatus(path.getParent());
            for (FileStatus child : children == null ? new FileStatus[0] : children) {
                if (!child.isDir() && child.getPath().getName().startsWith(prefix)
                        && child.getModificationTime() < staleBefore) {
                    LOG.info("Removing {}, a temporary file left by an earlier attempt to create {}", child.getPath(), path);
                    deleteQuietly(child.getPath());
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("Could not remove temporary files of {} (hidden; the next creation of it retries): {}", path, e.toString());
        }
    }

    private Optional<FileStatus> status(Path path) throws IOException {
        try {
            return Optional.of(fileSystem.getFileStatus(path));
        } catch (FileNotFoundException e) {
            return Optional.empty();
        }
    }

    /** Removes a temporary file also when the thread was interrupted (HDFS refuses calls of an interrupted thread). */
    private void deleteQuietly(Path temp) {
        boolean interrupted = Thread.interrupted();
        try {
            fileSystem.delete(temp, false);
        } catch (FileNotFoundException alreadyGone) {
            // Removed by a caller that created the file, or never written.
        } catch (IOException | RuntimeException e) {
            LOG.warn("Could not delete the temporary file {}: {}", temp, e.toString());
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private java.nio.file.Path localPath(Path path) {
        return Paths.get(path.makeQualified(fileSystem).toUri());
    }
}
