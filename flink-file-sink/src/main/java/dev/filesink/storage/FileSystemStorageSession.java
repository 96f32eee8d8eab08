package dev.filesink.storage;

import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.RecoverableWriter;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * A {@link StorageSession} on a Flink {@link FileSystem}. In-progress files of Flink's local and Hadoop recoverable
 * writers are hidden siblings of their target, named {@code .<final name>.inprogress.<random>}; a commit renames one
 * to its target.
 */
final class FileSystemStorageSession implements StorageSession {

    private static final Logger LOG = LoggerFactory.getLogger(FileSystemStorageSession.class);

    private final Path basePath;
    private final FileSystem fileSystem;
    private final RecoverableWriter writer;

    FileSystemStorageSession(Path basePath, Map<String, String> writerOptions) throws IOException {
        this.basePath = basePath;
        try {
            this.fileSystem = basePath.getFileSystem();
            this.writer = writerOptions.isEmpty()
                    ? fileSystem.createRecoverableWriter()
                    : fileSystem.createRecoverableWriter(writerOptions);
        } catch (IOException | RuntimeException e) {
            throw new IOException("Cannot open the file system of the sink's base path '" + basePath + "': " + e.getMessage(), e);
        }
    }

    @Override
    public RecoverableWriter recoverableWriter() {
        return writer;
    }

    @Override
    public void checkWritable() throws IOException {
        Path probe = new Path(basePath, ".filesink-write-check-" + UUID.randomUUID());
        try {
            fileSystem.mkdirs(basePath);
            try (FSDataOutputStream out = fileSystem.create(probe, FileSystem.WriteMode.NO_OVERWRITE)) {
                out.write(0);
            } finally {
                deleteProbe(probe);
            }
        } catch (IOException | RuntimeException e) {
            throw new IOException("The sink's base path '" + basePath + "' is not writable: " + e, e);
        }
    }

    /**
     * Removes the probe also when the check failed or the task was cancelled meanwhile (HDFS refuses calls of an
     * interrupted thread, so the interrupt waits until the probe is gone).
     */
    private void deleteProbe(Path probe) {
        boolean interrupted = Thread.interrupted();
        try {
            fileSystem.delete(probe, false);
        } catch (IOException | RuntimeException e) {
            LOG.warn("Could not delete the write check file {}: {}", probe, e.toString());
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public CommitOutcome commit(Path target, RecoverableWriter.CommitRecoverable pendingFile, long expectedSize)
            throws IOException {
        Optional<Path> tempFile = InProgressFiles.tempFileOf(pendingFile);
        boolean tempExists = tempFile.isPresent() && fileSystem.exists(tempFile.get());
        if (fileSystem.exists(target)) {
            if (tempExists) {
                throw new CommitConflictException("Cannot commit part file '" + target
                        + "': a file this commit did not write already exists there; it is left unchanged.");
            }
            long actualSize = fileSystem.getFileStatus(target).getLen();
            if (actualSize != expectedSize) {
                throw new CommitConflictException("Cannot commit part file '" + target + "': the existing file has "
                        + actualSize + " bytes, the committed one had " + expectedSize + "; it is left unchanged.");
            }
            return CommitOutcome.ALREADY_COMMITTED;
        }
        if (tempFile.isPresent() && !tempExists) {
            throw new FileNotFoundException("Pending part file for '" + target + "' is lost: neither '"
                    + tempFile.get() + "' nor the target exists.");
        }
        writer.recoverForCommit(pendingFile).commitAfterRecovery();
        return CommitOutcome.COMMITTED;
    }

    @Override
    public int discardOrphans(OrphanFilter filter) throws IOException {
        if (!fileSystem.exists(basePath)) {
            return 0;
        }
        return discardOrphansIn(basePath, filter, true);
    }

    @Override
    public int discardOrphans(OrphanFilter filter, Collection<Path> directories) throws IOException {
        int discarded = 0;
        for (Path directory : new LinkedHashSet<>(directories)) {
            discarded += discardOrphansIn(directory, filter, false);
        }
        return discarded;
    }

    @Override
    public boolean discardsOrphansByDirectory() {
        return true;
    }

    private int discardOrphansIn(Path directory, OrphanFilter filter, boolean recursive) throws IOException {
        FileStatus[] children = listTolerantly(directory);
        if (children == null) {
            return 0;
        }
        int discarded = 0;
        for (FileStatus child : children) {
            Path path = child.getPath();
            if (child.isDir()) {
                if (recursive) {
                    discarded += discardOrphansIn(path, filter, true);
                }
                continue;
            }
            String finalName = finalNameOfInProgressFile(path.getName());
            if (finalName != null && filter.isOrphan(finalName)) {
                LOG.info("Discarding in-progress file {} left by a failed attempt", path);
                try {
                    fileSystem.delete(path, false);
                    discarded++;
                } catch (FileNotFoundException alreadyGone) {
                    // Discarded concurrently: the outcome we want.
                }
            }
        }
        return discarded;
    }

    @Override
    public boolean createFileOnce(Path path, byte[] content) throws IOException {
        return new FileSystemSmallFiles(fileSystem).createOnce(path, content);
    }

    @Override
    public Optional<byte[]> readFile(Path path) throws IOException {
        return new FileSystemSmallFiles(fileSystem).read(path);
    }

    @Override
    public boolean supportsCompaction() {
        return true;
    }

    @Override
    public Optional<CompactionSource> compactionSource(RecoverableWriter.CommitRecoverable pendingFile, long size)
            throws IOException {
        Path tempFile = InProgressFiles.tempFileOf(pendingFile).orElseThrow(() -> new IOException(
                "Cannot compact a pending file of " + pendingFile.getClass().getName()
                        + ": its file system keeps no readable in-progress file"));
        FileStatus status;
        try {
            status = fileSystem.getFileStatus(tempFile);
        } catch (FileNotFoundException e) {
            throw new FileNotFoundException("Pending part file '" + tempFile + "' to compact is gone");
        }
        if (status.getLen() < size) {
            throw new IOException("Pending part file '" + tempFile + "' to compact has " + status.getLen()
                    + " bytes, fewer than the " + size + " it was closed with");
        }
        // Longer: an in-progress file resumed after a restore and committed as it was; its commit truncates it.
        return status.getLen() == size ? Optional.of(CompactionSource.inPlace(tempFile)) : Optional.empty();
    }

    @Override
    public void discardCompactedInput(RecoverableWriter.CommitRecoverable pendingFile) throws IOException {
        Optional<Path> tempFile = InProgressFiles.tempFileOf(pendingFile);
        if (tempFile.isEmpty()) {
            throw new IOException("Cannot discard a compacted pending file of " + pendingFile.getClass().getName());
        }
        try {
            fileSystem.delete(tempFile.get(), false);
        } catch (FileNotFoundException alreadyGone) {
            // Discarded by an earlier attempt of this commit.
        }
    }

    @Override
    public int discardInProgress(Path directory, Set<String> finalNames) throws IOException {
        FileStatus[] children = listTolerantly(directory);
        if (children == null) {
            return 0;
        }
        int discarded = 0;
        for (FileStatus child : children) {
            String finalName = child.isDir() ? null : finalNameOfInProgressFile(child.getPath().getName());
            if (finalName != null && finalNames.contains(finalName)) {
                LOG.info("Discarding {}, left half written by a failed compaction", child.getPath());
                try {
                    fileSystem.delete(child.getPath(), false);
                    discarded++;
                } catch (FileNotFoundException alreadyGone) {
                    // Discarded concurrently.
                }
            }
        }
        return discarded;
    }

    /**
     * Lists a directory while other writers may be discarding or committing files in it: a listing that trips over
     * a file vanishing between being listed and being looked at is simply repeated.
     */
    private FileStatus[] listTolerantly(Path directory) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                return fileSystem.listStatus(directory);
            } catch (FileNotFoundException e) {
                if (!fileSystem.exists(directory)) {
                    return null;
                }
                if (attempt >= 10) {
                    throw e;
                }
            }
        }
    }

    /** The final name an in-progress file was meant to get, or null if the name is not an in-progress file's. */
    static String finalNameOfInProgressFile(String fileName) {
        return InProgressNames.finalNameOf(fileName);
    }
}
