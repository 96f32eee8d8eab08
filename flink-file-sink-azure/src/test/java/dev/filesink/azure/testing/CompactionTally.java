package dev.filesink.azure.testing;

import dev.filesink.storage.CommitOutcome;
import dev.filesink.storage.CompactionSource;
import dev.filesink.storage.OrphanFilter;
import dev.filesink.storage.PartFileStorage;
import dev.filesink.storage.ServerSideConcatenation;
import dev.filesink.storage.StorageSession;

import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.RecoverableWriter;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Wraps a storage and counts what its compactions moved: inputs and bytes concatenated in the store, bytes that
 * still went through the task manager, bytes downloaded for compactions through the task manager. Jobs run in this
 * JVM's MiniCluster, so a static map reaches the task threads.
 */
public final class CompactionTally implements PartFileStorage {

    private static final long serialVersionUID = 1L;
    private static final Map<String, AtomicLong> COUNTS = new ConcurrentHashMap<>();

    /** What is counted. */
    public enum Count { CONCATENATIONS, CONCATENATED_INPUTS, CONCATENATED_INPUT_BYTES, CONCATENATION_BYTES_THROUGH_TM,
        SOURCES, SOURCE_BYTES_FETCHED }

    private final PartFileStorage delegate;
    private final String id = UUID.randomUUID().toString();

    public CompactionTally(PartFileStorage delegate) {
        this.delegate = delegate;
    }

    public long get(Count count) {
        AtomicLong value = COUNTS.get(id + count);
        return value == null ? 0 : value.get();
    }

    private void add(Count count, long delta) {
        COUNTS.computeIfAbsent(id + count, ignored -> new AtomicLong()).addAndGet(delta);
    }

    @Override
    public StorageSession open(Path basePath) throws IOException {
        StorageSession session = delegate.open(basePath);
        return new StorageSession() {
            @Override
            public RecoverableWriter recoverableWriter() {
                return session.recoverableWriter();
            }

            @Override
            public void checkWritable() throws IOException {
                session.checkWritable();
            }

            @Override
            public CommitOutcome commit(Path target, RecoverableWriter.CommitRecoverable pendingFile, long expectedSize)
                    throws IOException {
                return session.commit(target, pendingFile, expectedSize);
            }

            @Override
            public int discardOrphans(OrphanFilter filter) throws IOException {
                return session.discardOrphans(filter);
            }

            @Override
            public boolean supportsCompaction() {
                return session.supportsCompaction();
            }

            @Override
            public Optional<CompactionSource> compactionSource(RecoverableWriter.CommitRecoverable pendingFile, long size)
                    throws IOException {
                Optional<CompactionSource> source = session.compactionSource(pendingFile, size);
                source.ifPresent(s -> {
                    add(Count.SOURCES, 1);
                    add(Count.SOURCE_BYTES_FETCHED, s.bytesFetched());
                });
                return source;
            }

            @Override
            public Optional<ServerSideConcatenation> serverSideConcatenation() {
                return session.serverSideConcatenation().map(concatenation -> (target, inputs, delimiter) -> {
                    Optional<ServerSideConcatenation.ConcatenatedFile> output =
                            concatenation.concatenate(target, inputs, delimiter);
                    output.ifPresent(file -> {
                        add(Count.CONCATENATIONS, 1);
                        add(Count.CONCATENATED_INPUTS, inputs.size());
                        add(Count.CONCATENATED_INPUT_BYTES,
                                inputs.stream().mapToLong(ServerSideConcatenation.ConcatenationInput::size).sum());
                        add(Count.CONCATENATION_BYTES_THROUGH_TM, file.bytesThroughTaskManager());
                    });
                    return output;
                });
            }

            @Override
            public void discardCompactedInput(RecoverableWriter.CommitRecoverable pendingFile) throws IOException {
                session.discardCompactedInput(pendingFile);
            }

            @Override
            public int discardInProgress(Path directory, Set<String> finalNames) throws IOException {
                return session.discardInProgress(directory, finalNames);
            }

            @Override
            public void close() throws IOException {
                session.close();
            }
        };
    }

    @Override
    public String toString() {
        return "CompactionTally(" + delegate + ")";
    }
}
