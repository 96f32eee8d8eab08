package dev.filesink.compaction;

import dev.filesink.committer.CompactedInput;
import dev.filesink.committer.FileSinkCommittable;
import dev.filesink.partfile.InProgressPartFile;
import dev.filesink.partfile.PartFileContext;
import dev.filesink.partfile.PartFileFactory;
import dev.filesink.partfile.PendingPartFile;
import dev.filesink.storage.StorageSession;

import org.apache.flink.connector.file.sink.compactor.FileCompactor;
import org.apache.flink.connector.file.sink.compactor.OutputStreamBasedFileCompactor;
import org.apache.flink.connector.file.sink.compactor.RecordWiseFileCompactor;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.RecoverableFsDataOutputStream;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.SimpleCounter;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Compacts one group of a bucket's pending files into one pending file named as Flink names it,
 * {@code compacted-<first input's name>}, written with Flink's {@link FileCompactor}.
 */
final class GroupCompactor<IN> {

    private final StorageSession storage;
    private final FileCompactor compactor;
    private final PartFileFactory<IN> partFileFactory;
    private final int bufferSize;

    GroupCompactor(StorageSession storage, FileCompactor compactor, PartFileFactory<IN> partFileFactory, int bufferSize) {
        this.storage = storage;
        this.compactor = compactor;
        this.partFileFactory = partFileFactory;
        this.bufferSize = bufferSize;
    }

    CompactionResult compact(List<FileSinkCommittable> group) throws Exception {
        long start = System.nanoTime();
        List<FileSinkCommittable> handedOn = new ArrayList<>();
        List<FileSinkCommittable> inputs = new ArrayList<>();
        List<Path> readable = new ArrayList<>();
        for (FileSinkCommittable file : group) {
            Optional<Path> path = readableOrFail(file);
            if (path.isPresent()) {
                inputs.add(file);
                readable.add(path.get());
            } else {
                handedOn.add(file);
            }
        }
        if (inputs.size() < 2) {
            // Nothing to merge with: the file goes on as it is, no byte copied.
            handedOn.addAll(inputs);
            return new CompactionResult(handedOn, 0, 0, 0, 0, 0, handedOn.size(), millisSince(start));
        }
        FileSinkCommittable first = inputs.get(0);
        Path bucketPath = first.target().getParent();
        Path target = new Path(bucketPath, CompactedNames.of(first.target()));
        discardLeftovers(bucketPath, inputs);

        long inputBytes = inputs.stream().mapToLong(FileSinkCommittable::size).sum();
        long records = inputs.stream().mapToLong(FileSinkCommittable::recordCount).sum();
        PendingPartFile output = compactor instanceof RecordWiseFileCompactor
                ? writeRecordWise(first.bucketId(), target, readable)
                : writeBytes(first.bucketId(), target, readable);
        List<CompactedInput> compacted = new ArrayList<>(inputs.size());
        for (FileSinkCommittable input : inputs) {
            compacted.add(new CompactedInput(input.target(), input.pendingFile(), input.size()));
        }
        // Byte-wise compactors copy bytes, so the record count is the inputs'; record-wise ones count what they wrote.
        long outputRecords = compactor instanceof RecordWiseFileCompactor ? output.recordCount() : records;
        handedOn.add(FileSinkCommittable.compacted(
                first.bucketId(), target, output.recoverable(), output.size(), outputRecords, compacted));
        return new CompactionResult(handedOn, inputs.size(), inputBytes, 1, output.size(),
                inputBytes + output.size(), handedOn.size() - 1, millisSince(start));
    }

    private Optional<Path> readableOrFail(FileSinkCommittable file) throws IOException {
        try {
            return storage.compactionInput(file.pendingFile(), file.size());
        } catch (IOException e) {
            throw new IOException("Cannot compact part file '" + file.target() + "' of bucket '" + file.bucketId()
                    + "': " + e.getMessage(), e);
        }
    }

    /**
     * A failed attempt may have left a half-written output named after any of these inputs (the group's first
     * input then may not be first now): none of them was compacted into a committed file, so such leftovers are
     * garbage.
     */
    private void discardLeftovers(Path bucketPath, List<FileSinkCommittable> inputs) throws IOException {
        Set<String> names = new HashSet<>();
        for (FileSinkCommittable input : inputs) {
            names.add(CompactedNames.of(input.target()));
        }
        storage.discardInProgress(bucketPath, names);
    }

    private PendingPartFile writeBytes(String bucketId, Path target, List<Path> inputs) throws Exception {
        RecoverableFsDataOutputStream stream = storage.recoverableWriter().open(target);
        try {
            OutputStream buffered = new BufferedOutputStream(stream, bufferSize);
            ((OutputStreamBasedFileCompactor) compactor).compact(inputs, buffered);
            buffered.flush();
            long size = stream.getPos();
            return new PendingPartFile(bucketId, target, stream.closeForCommit().getRecoverable(), size, 0);
        } catch (Exception e) {
            stream.close();
            throw e;
        }
    }

    private PendingPartFile writeRecordWise(String bucketId, Path target, List<Path> inputs) throws Exception {
        long now = System.currentTimeMillis();
        Counter recordsSkipped = new SimpleCounter();
        InProgressPartFile<IN> file = partFileFactory.open(
                storage.recoverableWriter(), new PartFileContext(bucketId, target, recordsSkipped), now, bufferSize);
        try {
            @SuppressWarnings("unchecked")
            RecordWiseFileCompactor<IN> recordWise = (RecordWiseFileCompactor<IN>) compactor;
            recordWise.compact(inputs, record -> {
                if (file.rollRequestedBefore(record) != null) {
                    // The format would start a new file here (e.g. a schema change): one output cannot hold both.
                    throw new IOException("Cannot compact into '" + target + "': the format asks for a new file "
                            + "within the group (records of different schemas?); merging them is not supported");
                }
                file.write(record, now);
            });
            return file.closeForCommit();
        } catch (Exception e) {
            file.discard();
            throw e;
        }
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
