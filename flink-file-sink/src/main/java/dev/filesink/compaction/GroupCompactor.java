package dev.filesink.compaction;

import dev.filesink.committer.CompactedInput;
import dev.filesink.committer.FileSinkCommittable;
import dev.filesink.partfile.InProgressPartFile;
import dev.filesink.partfile.PartFileContext;
import dev.filesink.partfile.PartFileFactory;
import dev.filesink.partfile.PendingPartFile;
import dev.filesink.storage.CompactionSource;
import dev.filesink.storage.ServerSideConcatenation;
import dev.filesink.storage.StorageSession;

import org.apache.flink.connector.file.sink.compactor.FileCompactor;
import org.apache.flink.connector.file.sink.compactor.OutputStreamBasedFileCompactor;
import org.apache.flink.connector.file.sink.compactor.RecordWiseFileCompactor;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.RecoverableFsDataOutputStream;
import org.apache.flink.metrics.SimpleCounter;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Compacts one group of a bucket's pending files into one pending file named as Flink names it,
 * {@code compacted-<first input's name>}, written with Flink's {@link FileCompactor}.
 */
final class GroupCompactor<IN> {

    private static final Logger LOG = LoggerFactory.getLogger(GroupCompactor.class);

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
        // Whatever this group becomes now (even a file handed on alone), an earlier attempt may have compacted any
        // of its files into an output that no completed checkpoint holds.
        discardLeftovers(group.get(0).target().getParent(), group);
        Optional<CompactionResult> inStore = concatenateInStore(group, start);
        if (inStore.isPresent()) {
            return inStore.get();
        }
        List<CompactionSource> sources = new ArrayList<>();
        try {
            return compactThroughTaskManager(group, sources, start);
        } finally {
            closeAll(sources);
        }
    }

    /** Byte-concatenating compactors on a storage that concatenates by itself: no byte read back and written again. */
    private Optional<CompactionResult> concatenateInStore(List<FileSinkCommittable> group, long start)
            throws Exception {
        Optional<ServerSideConcatenation> concatenation = storage.serverSideConcatenation();
        Optional<ByteConcatenation.Delimiter> delimiter = ByteConcatenation.of(compactor);
        if (concatenation.isEmpty() || delimiter.isEmpty() || group.size() < 2) {
            return Optional.empty();
        }
        FileSinkCommittable first = group.get(0);
        Path bucketPath = first.target().getParent();
        List<ServerSideConcatenation.ConcatenationInput> inputs = new ArrayList<>(group.size());
        for (FileSinkCommittable file : group) {
            inputs.add(new ServerSideConcatenation.ConcatenationInput(file.target(), file.pendingFile(), file.size()));
        }
        Optional<ServerSideConcatenation.ConcatenatedFile> output;
        try {
            output = concatenation.get().concatenate(
                    new Path(bucketPath, CompactedNames.of(first.target())), inputs, delimiter.get().bytes());
        } catch (Exception e) {
            discardAfterFailure(bucketPath, group, e);
            throw new IOException("Cannot compact " + group.size() + " part files of bucket '" + first.bucketId()
                    + "' starting with '" + first.target() + "': " + e.getMessage(), e);
        }
        if (output.isEmpty()) {
            return Optional.empty();
        }
        ServerSideConcatenation.ConcatenatedFile file = output.get();
        long inputBytes = group.stream().mapToLong(FileSinkCommittable::size).sum();
        long records = group.stream().mapToLong(FileSinkCommittable::recordCount).sum();
        FileSinkCommittable compacted = FileSinkCommittable.compacted(first.bucketId(),
                new Path(bucketPath, CompactedNames.of(first.target())), file.pendingFile(), file.size(), records,
                compactedInputs(group)).withEventTimes(minEventTime(group), maxEventTime(group));
        return Optional.of(new CompactionResult(List.of(compacted), group.size(), inputBytes, 1, file.size(),
                file.bytesThroughTaskManager(), 0, millisSince(start)));
    }

    private CompactionResult compactThroughTaskManager(
            List<FileSinkCommittable> group, List<CompactionSource> sources, long start) throws Exception {
        if (group.size() < 2) {
            // Nothing to merge with: handed on as it is, without making it readable (on object stores a download).
            return new CompactionResult(List.copyOf(group), 0, 0, 0, 0, 0, group.size(), millisSince(start));
        }
        List<FileSinkCommittable> handedOn = new ArrayList<>();
        List<FileSinkCommittable> inputs = new ArrayList<>();
        List<Path> readable = new ArrayList<>();
        for (FileSinkCommittable file : group) {
            Optional<CompactionSource> source = readableOrFail(file);
            if (source.isPresent()) {
                sources.add(source.get());
                inputs.add(file);
                readable.add(source.get().path());
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
        boolean recordWise = compactor instanceof RecordWiseFileCompactor;
        List<MergeRun> runs = recordWise ? List.of(new MergeRun(inputs, readable)) : byMergeKey(inputs, readable);
        inputs = new ArrayList<>();
        for (MergeRun run : runs) {
            if (run.inputs().size() < 2) {
                handedOn.addAll(run.inputs()); // alone with its key: nothing it could be merged with
            } else {
                inputs.addAll(run.inputs());
            }
        }
        if (inputs.isEmpty()) {
            return new CompactionResult(handedOn, 0, 0, 0, 0, 0, handedOn.size(), millisSince(start));
        }

        long inputBytes = inputs.stream().mapToLong(FileSinkCommittable::size).sum();
        List<Output> outputs = new ArrayList<>();
        try {
            for (MergeRun run : runs) {
                if (recordWise) {
                    outputs.addAll(new RecordWiseRun(first.bucketId(), run.inputs(), run.readable()).run());
                } else if (run.inputs().size() >= 2) {
                    FileSinkCommittable runFirst = run.inputs().get(0);
                    outputs.add(new Output(writeBytes(first.bucketId(),
                            new Path(bucketPath, CompactedNames.of(runFirst.target())), run.readable()),
                            run.inputs()));
                }
            }
        } catch (Exception e) {
            discardAfterFailure(bucketPath, group, e);
            throw e;
        }
        long outputBytes = 0;
        for (Output output : outputs) {
            // Byte-wise compactors copy bytes, so the records are the inputs'; record-wise ones count what they wrote.
            long records = recordWise
                    ? output.file().recordCount()
                    : output.inputs().stream().mapToLong(FileSinkCommittable::recordCount).sum();
            handedOn.add(FileSinkCommittable.compacted(first.bucketId(), output.file().target(),
                    output.file().recoverable(), output.file().size(), records, compactedInputs(output.inputs()))
                    .withEventTimes(minEventTime(output.inputs()), maxEventTime(output.inputs())));
            outputBytes += output.file().size();
        }
        // Every input byte was read (on object stores: downloaded) and every output byte written here.
        return new CompactionResult(handedOn, inputs.size(), inputBytes, outputs.size(), outputBytes,
                inputBytes + outputBytes, handedOn.size() - outputs.size(), millisSince(start));
    }

    /** The earliest record time of the inputs; unknown if any input's is. */
    private static long minEventTime(List<FileSinkCommittable> inputs) {
        if (inputs.stream().anyMatch(input -> input.minEventTime() == FileSinkCommittable.NO_EVENT_TIME)) {
            return FileSinkCommittable.NO_EVENT_TIME;
        }
        return inputs.stream().mapToLong(FileSinkCommittable::minEventTime).min().orElse(FileSinkCommittable.NO_EVENT_TIME);
    }

    private static long maxEventTime(List<FileSinkCommittable> inputs) {
        if (inputs.stream().anyMatch(input -> input.maxEventTime() == FileSinkCommittable.NO_EVENT_TIME)) {
            return FileSinkCommittable.NO_EVENT_TIME;
        }
        return inputs.stream().mapToLong(FileSinkCommittable::maxEventTime).max().orElse(FileSinkCommittable.NO_EVENT_TIME);
    }

    private static List<CompactedInput> compactedInputs(List<FileSinkCommittable> inputs) {
        List<CompactedInput> compacted = new ArrayList<>(inputs.size());
        for (FileSinkCommittable input : inputs) {
            compacted.add(new CompactedInput(input.target(), input.pendingFile(), input.size()));
        }
        return compacted;
    }

    /** Nothing of a failed group goes on: what it wrote is garbage now (a restart would find it by name, too). */
    private void discardAfterFailure(Path bucketPath, List<FileSinkCommittable> inputs, Exception failure) {
        try {
            discardLeftovers(bucketPath, inputs);
        } catch (IOException | RuntimeException cleanupFailure) {
            failure.addSuppressed(cleanupFailure);
        }
    }

    /** Releases local copies; one that cannot be deleted costs disk space only, so it is logged, not thrown. */
    private static void closeAll(List<CompactionSource> sources) {
        for (CompactionSource source : sources) {
            try {
                source.close();
            } catch (IOException | RuntimeException e) {
                LOG.warn("Could not release the compaction input {}", source.path(), e);
            }
        }
    }

    /** Inputs that may go into one compacted file, and the paths they are read from. */
    private record MergeRun(List<FileSinkCommittable> inputs, List<Path> readable) {}

    /**
     * The inputs by the compactor's merge key ({@link MergeKeys}), in the order of each key's first input; a
     * compactor without keys merges them all.
     */
    private List<MergeRun> byMergeKey(List<FileSinkCommittable> inputs, List<Path> readable) throws IOException {
        if (!(compactor instanceof MergeKeys keys)) {
            return List.of(new MergeRun(inputs, readable));
        }
        Map<String, MergeRun> runs = new LinkedHashMap<>();
        for (int i = 0; i < inputs.size(); i++) {
            String key;
            try {
                key = keys.mergeKey(readable.get(i));
            } catch (IOException | RuntimeException e) {
                throw new IOException("Cannot compact part file '" + inputs.get(i).target() + "' of bucket '"
                        + inputs.get(i).bucketId() + "': " + e.getMessage(), e);
            }
            MergeRun run = runs.computeIfAbsent(key, k -> new MergeRun(new ArrayList<>(), new ArrayList<>()));
            run.inputs().add(inputs.get(i));
            run.readable().add(readable.get(i));
        }
        if (runs.size() > 1) {
            LOG.info("{} part files of bucket '{}' have {} merge keys of {}: one compacted file per key", inputs.size(),
                    inputs.get(0).bucketId(), runs.size(), compactor.getClass().getSimpleName());
        }
        return List.copyOf(runs.values());
    }

    /** A compacted file and the inputs merged into it. */
    private record Output(PendingPartFile file, List<FileSinkCommittable> inputs) {}

    private Optional<CompactionSource> readableOrFail(FileSinkCommittable file) throws IOException {
        try {
            return storage.compactionSource(file.pendingFile(), file.size());
        } catch (IOException e) {
            throw new IOException("Cannot compact part file '" + file.target() + "' of bucket '" + file.bucketId()
                    + "': " + e.getMessage(), e);
        }
    }

    /**
     * A failed attempt may have left an output named after any of these files (its group may have been another):
     * none of them was compacted into a file a completed checkpoint holds, so such leftovers are garbage.
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

    /**
     * Record-wise compaction, input by input through the sink's own format. Where the format asks for a new file
     * before an input's first record (Avro, Parquet: the input has another schema), the current output is closed and
     * the next one starts with that input: files of different schemas are never merged. A format asking for a new
     * file inside an input fails the compaction.
     */
    private final class RecordWiseRun {

        private final String bucketId;
        private final List<FileSinkCommittable> inputs;
        private final List<Path> readable;
        private final long now = System.currentTimeMillis();
        private final List<Output> outputs = new ArrayList<>();
        private InProgressPartFile<IN> current;
        private int currentStart;
        private boolean firstOfInput;

        RecordWiseRun(String bucketId, List<FileSinkCommittable> inputs, List<Path> readable) {
            this.bucketId = bucketId;
            this.inputs = inputs;
            this.readable = readable;
        }

        List<Output> run() throws Exception {
            @SuppressWarnings("unchecked")
            RecordWiseFileCompactor<IN> recordWise = (RecordWiseFileCompactor<IN>) compactor;
            try {
                for (int i = 0; i < inputs.size(); i++) {
                    int index = i;
                    firstOfInput = true;
                    recordWise.compact(List.of(readable.get(i)), record -> write(index, record));
                }
                if (current == null) {
                    open(); // inputs without records: one (empty) output replaces them
                }
                close(inputs.size());
                return outputs;
            } catch (Exception e) {
                if (current != null) {
                    current.discard();
                }
                throw e;
            }
        }

        private void write(int index, IN record) throws IOException {
            if (current == null) {
                open();
            } else if (current.rollRequestedBefore(record) != null) {
                if (!firstOfInput) {
                    throw new IOException("Cannot compact part file '" + inputs.get(index).target() + "': its format "
                            + "asks for a new file inside it (records of different schemas in one file?)");
                }
                close(index);
                open();
            }
            firstOfInput = false;
            current.write(record, now);
        }

        private void open() throws IOException {
            Path target = new Path(inputs.get(currentStart).target().getParent(),
                    CompactedNames.of(inputs.get(currentStart).target()));
            current = partFileFactory.open(storage.recoverableWriter(),
                    new PartFileContext(bucketId, target, new SimpleCounter()), now, bufferSize);
        }

        private void close(int end) throws IOException {
            outputs.add(new Output(current.closeForCommit(), List.copyOf(inputs.subList(currentStart, end))));
            currentStart = end;
            current = null;
        }
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
